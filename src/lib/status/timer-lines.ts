import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { lastRuns } from '../runs/last-runs.js';
import { timerNextElapse } from '../systemd/next-elapse.js';
import { SCHEDULED_COMMANDS } from '../systemd/schedules.js';
import type { TimerLine } from './render-status.js';

/** Each scheduled timer's next elapse, as systemctl answers it (in SCHEDULED_COMMANDS order). */
export function nextElapses(): Promise<(Date | null)[]> {
  return Promise.all(SCHEDULED_COMMANDS.map((scheduled) => timerNextElapse(scheduled.timer)));
}

/**
 * Each timer's last run (from `runs`) and, where systemctl answers, its next elapse. A caller
 * may ask systemctl first (`nextElapses`) and open the database while it answers.
 */
export async function timerLines(db: Kysely<Database>, next: Promise<(Date | null)[]> = nextElapses()): Promise<TimerLine[]> {
  const last = await lastRuns(
    db,
    SCHEDULED_COMMANDS.map((s) => s.command),
  );
  const elapses = await next;
  return SCHEDULED_COMMANDS.map((scheduled, i) => {
    const run = last.find((r) => r.command === scheduled.command);
    return {
      timer: scheduled.timer,
      command: scheduled.command,
      lastRun: run ? { startedAt: run.started_at, outcome: run.outcome } : null,
      nextElapse: elapses[i] ?? null,
    };
  });
}
