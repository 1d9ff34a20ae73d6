import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { timerNextElapse } from '../systemd/next-elapse.js';
import { SCHEDULED_COMMANDS } from '../systemd/schedules.js';
import type { TimerLine } from './render-status.js';

/** Each timer's last run (from `runs`) and, where systemctl answers, its next elapse. */
export async function timerLines(db: Kysely<Database>): Promise<TimerLine[]> {
  const commands = SCHEDULED_COMMANDS.map((s) => s.command);
  const last = await db
    .selectFrom('runs')
    .select(['command', 'started_at', 'outcome'])
    .where('command', 'in', commands)
    .distinctOn('command')
    .orderBy('command')
    .orderBy('started_at', 'desc')
    .execute();
  return Promise.all(
    SCHEDULED_COMMANDS.map(async (scheduled) => {
      const run = last.find((r) => r.command === scheduled.command);
      return {
        timer: scheduled.timer,
        command: scheduled.command,
        lastRun: run ? { startedAt: run.started_at, outcome: run.outcome } : null,
        nextElapse: await timerNextElapse(scheduled.timer),
      };
    }),
  );
}
