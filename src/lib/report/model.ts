import { z } from 'zod';
import { LINK_STATES } from '../db/schema.js';
import { storedQuality } from '../pipeline/transcripts.js';
import { JOB_KINDS } from '../stages.js';

/**
 * What happened to a recording, worst first: the order failures-first pages and lists sort by.
 * `retrying` failed and waits for its next attempt; `waiting` has a step queued that has not
 * failed; `cancelled` was stopped by a person or by cleanup.
 */
export const OUTCOMES = ['failed', 'retrying', 'needs-review', 'running', 'waiting', 'cancelled', 'no-speech', 'captioned'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const isoTime = z.iso.datetime({ offset: true });

/** A file Archivist wrote for the recording: `sidecar` beside the video, the rest in outputs or where `transcript --out` put it. */
export const reportFileSchema = z.strictObject({
  kind: z.enum(['sidecar', 'caption', 'rendition', 'transcript']),
  path: z.string(),
  /** Set when Archivist left a file of that name alone (someone else's). */
  leftAlone: z.string().nullable(),
});
export type ReportFile = z.infer<typeof reportFileSchema>;

export const reportRecordingSchema = z.strictObject({
  mediaId: z.number().int(),
  site: z.string(),
  siteName: z.string(),
  title: z.string(),
  path: z.string(),
  source: z.string(),
  /** The recording's date: its event date, else its file's modification day. */
  date: z.string().nullable(),
  durationSec: z.number().nullable(),
  missing: z.boolean(),
  outcome: z.enum(OUTCOMES),
  /** The step that failed, runs, or waits. */
  step: z.enum(JOB_KINDS).nullable(),
  /** The whole reason: a failure's error, what a waiting step waits for, why it was cancelled. */
  reason: z.string().nullable(),
  jobId: z.number().int().nullable(),
  retryAt: isoTime.nullable(),
  /** Steps still queued or running after this one (a captioned recording waiting for its upload). */
  pending: z.array(z.enum(JOB_KINDS)),
  files: z.array(reportFileSchema),
  cablecast: z.strictObject({
    showId: z.number().int().nullable(),
    link: z
      .strictObject({
        state: z.enum(LINK_STATES),
        method: z.string().nullable(),
        writeback: z.strictObject({ state: z.string(), reason: z.string().nullable() }).nullable(),
      })
      .nullable(),
    upload: z.strictObject({ fileName: z.string(), store: z.number().int(), finished: z.boolean() }).nullable(),
  }),
  transcript: z
    .strictObject({
      engine: z.string(),
      model: z.string(),
      language: z.string().nullable(),
      /** How long the engine ran. */
      seconds: z.number().nullable(),
      /** Dead air left out before the engine (engine.skipSilence): how many stretches, how many seconds. */
      skippedSilence: z.strictObject({ stretches: z.number().int(), seconds: z.number() }).nullable(),
    })
    .nullable(),
  quality: storedQuality.nullable(),
  /** Captions a person edited and imported (archivist captions import): kept until --discard-edits. */
  edited: z.strictObject({ from: z.string(), at: isoTime }).nullable(),
  updatedAt: isoTime,
});
export type ReportRecording = z.infer<typeof reportRecordingSchema>;

export const reportNightSchema = z.strictObject({
  /** A UTC date: a station's evening run (US time zones) falls within one. */
  date: z.iso.date(),
  captionedHours: z.number(),
  captioned: z.number().int(),
  failed: z.number().int(),
  runs: z.number().int(),
});
export type ReportNight = z.infer<typeof reportNightSchema>;

/** A Cablecast show discovery passed over that may need a look (not ready, unreadable, captioned elsewhere). */
export const reportSkipSchema = z.strictObject({
  site: z.string(),
  showId: z.number().int(),
  title: z.string().nullable(),
  kind: z.string(),
  reason: z.string(),
});
export type ReportSkip = z.infer<typeof reportSkipSchema>;

export const reportSchema = z.strictObject({
  generatedAt: isoTime,
  since: isoTime,
  site: z.string().nullable(),
  summary: z.strictObject({
    recordings: z.number().int(),
    captioned: z.number().int(),
    hoursCaptioned: z.number(),
    failed: z.number().int(),
    needsReview: z.number().int(),
    noSpeech: z.number().int(),
    /** Recordings (any age) with a step still queued or running: what is left. */
    left: z.number().int(),
  }),
  recordings: z.array(reportRecordingSchema),
  skipped: z.array(reportSkipSchema),
  /** The last 30 nights, oldest first. */
  nights: z.array(reportNightSchema),
});
export type Report = z.infer<typeof reportSchema>;

/** Worst first, then the latest first: what a person should look at comes at the top. */
export function byAttention(a: ReportRecording, b: ReportRecording): number {
  return OUTCOMES.indexOf(a.outcome) - OUTCOMES.indexOf(b.outcome) || b.updatedAt.localeCompare(a.updatedAt) || a.mediaId - b.mediaId;
}

export function isFailure(outcome: Outcome): boolean {
  return outcome === 'failed' || outcome === 'retrying';
}
