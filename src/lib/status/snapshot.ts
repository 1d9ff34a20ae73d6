import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { embeddedLockHolder } from '../db/embedded-lock.js';
import type { Db } from '../db/schema.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { LineWidth } from '../text/line-width.js';
import { wrapWords } from '../text/wrap-words.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { collectStatus } from './collect-status.js';
import { formatAge, formatTime } from './format.js';
import { statusReportSchema, timerLineSchema, type StatusReport, type TimerLine } from './status-model.js';
import { timerLines } from './timer-lines.js';

/**
 * The embedded database serves one process at a time, so `status` cannot read it while a run
 * holds it. The run keeps what status would show in `<state>/status.json` (written whole,
 * about once a minute and at its end) and status answers from that at once.
 */
const REFRESH_MS = 60_000;

const snapshotSchema = z.object({
  command: z.string(),
  pid: z.number().int(),
  host: z.string(),
  since: z.coerce.date(),
  writtenAt: z.coerce.date(),
  report: statusReportSchema,
  timers: z.array(timerLineSchema),
});
export type StatusSnapshot = z.infer<typeof snapshotSchema>;

export function snapshotPath(stateDir: string): string {
  return join(stateDir, 'status.json');
}

export interface SnapshotKeeper {
  /** Writes the last snapshot (the run's end) and stops refreshing. */
  stop(): Promise<void>;
}

/** Keeps the snapshot of the database this command holds: now, every minute, and at the end. */
export function keepSnapshots(options: {
  db: Db;
  stateDir: string;
  command: string;
  database: { kind: string; location: string };
  log: Logger;
}): SnapshotKeeper {
  const since = new Date();
  let writing: Promise<void> = Promise.resolve();
  const write = (): Promise<void> =>
    (writing = writing.then(async () => {
      try {
        const report: StatusReport = await collectStatus(options.db, options.database);
        const timers: TimerLine[] = await timerLines(options.db);
        const snapshot: StatusSnapshot = {
          command: options.command,
          pid: process.pid,
          host: hostname(),
          since,
          writtenAt: new Date(),
          report,
          timers,
        };
        await writeFileAtomic(snapshotPath(options.stateDir), JSON.stringify(snapshot));
      } catch (error) {
        options.log.warn({ err: error }, `could not write ${snapshotPath(options.stateDir)} (what status shows during this run)`);
      }
    }));
  void write();
  const timer = setInterval(() => void write(), REFRESH_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await write();
    },
  };
}

export interface HeldSnapshot {
  holder: { pid: number; command: string; since: Date };
  snapshot: StatusSnapshot;
}

/** When a live process holds the embedded database and has left its snapshot, that snapshot. */
export async function heldSnapshot(stateDir: string): Promise<HeldSnapshot | null> {
  const holder = await embeddedLockHolder(join(stateDir, 'pglite.lock'));
  if (holder === null) return null;
  let text: string;
  try {
    text = await readFile(snapshotPath(stateDir), 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const snapshot = snapshotSchema.safeParse(parsed);
  if (!snapshot.success || snapshot.data.pid !== holder.pid) return null;
  return { holder: { pid: holder.pid, command: snapshot.data.command, since: snapshot.data.since }, snapshot: snapshot.data };
}

/** The line that says whose snapshot this is and how old. */
export function renderHeldNote(held: HeldSnapshot, now: Date, width: LineWidth): string {
  const { holder, snapshot } = held;
  return wrapWords(
    terminalSafe(
      `The embedded database is held by \`archivist ${holder.command}\` (pid ${holder.pid} on ${snapshot.host}) since ${formatTime(holder.since)}; ` +
        `this is its snapshot from ${formatAge(snapshot.writtenAt, now)} ago (refreshed about once a minute).`,
    ),
    width,
  ).join('\n');
}
