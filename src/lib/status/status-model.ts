import { z } from 'zod';
import { JOB_STATES, LINK_STATES } from '../db/schema.js';
import { storedQuality } from '../pipeline/transcripts.js';

/*
 * What `status` shows, as a schema: collected from the database, or read back from the
 * snapshot a running command keeps (`<state>/status.json`), which is checked against it.
 */
const date = z.coerce.date();
const stateCounts = z.record(z.enum(JOB_STATES), z.number().int());

export const statusReportSchema = z.object({
  database: z.object({ kind: z.string(), location: z.string() }),
  jobs: z.record(z.string(), stateCounts),
  running: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      mediaId: z.number().int(),
      path: z.string(),
      worker: z.string().nullable(),
      startedAt: date.nullable(),
      heartbeatAt: date.nullable(),
      attempts: z.number().int(),
    }),
  ),
  failures: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      state: z.enum(JOB_STATES),
      mediaId: z.number().int(),
      path: z.string(),
      attempts: z.number().int(),
      maxAttempts: z.number().int(),
      error: z.string().nullable(),
      at: date,
      retryAt: date.nullable(),
    }),
  ),
  lastRuns: z.array(
    z.object({
      command: z.string(),
      startedAt: date,
      finishedAt: date.nullable(),
      outcome: z.string(),
      exitCode: z.number().int().nullable(),
      host: z.string(),
    }),
  ),
  links: z.record(z.enum(LINK_STATES), z.number().int()),
  media: z.object({ total: z.number().int(), missing: z.number().int() }),
  captions: z.object({
    /** Recordings whose transcript had nothing to caption: no files, not retried. */
    noSpeech: z.object({
      total: z.number().int(),
      recent: z.array(z.object({ mediaId: z.number().int(), path: z.string(), at: date })),
    }),
    /** Recordings whose captions a person edited and imported: kept until --discard-edits. */
    edited: z.object({
      total: z.number().int(),
      recent: z.array(z.object({ mediaId: z.number().int(), path: z.string(), from: z.string(), at: date })),
    }),
    /** The latest recordings captioned, with their quality figures. */
    recent: z.array(z.object({ mediaId: z.number().int(), path: z.string(), at: date, quality: storedQuality.nullable() })),
    /** The recordings captioned in the last 24 hours, newest first (at most LAST_DAY_LISTED), and the caption files written for each. */
    lastDay: z.array(z.object({ mediaId: z.number().int(), title: z.string(), at: date, files: z.array(z.string()) })),
    /** Recordings captioned in the last 24 hours that lastDay leaves out (0 in a snapshot written before the list was bounded). */
    lastDayLeftOut: z.number().int().min(0).default(0),
  }),
});
export type StatusReport = z.infer<typeof statusReportSchema>;

export const timerLineSchema = z.object({
  timer: z.string(),
  command: z.string(),
  lastRun: z.object({ startedAt: date, outcome: z.string() }).nullable(),
  nextElapse: date.nullable(),
});
export type TimerLine = z.infer<typeof timerLineSchema>;
