import { sql } from 'kysely';
import type { Db, Job, JobState } from '../db/schema.js';
import { backoffSeconds } from './backoff.js';
import type { QueuePolicy } from './types.js';

export interface FailOptions {
  error: string;
  /** The input can never succeed (no audio track, unreadable file): no retry. */
  permanent: boolean;
  /** Overrides the computed backoff, e.g. a Retry-After from the server. */
  retryAfterSeconds?: number | undefined;
}

/** Records a failure: back to the queue after a backoff, or `dead` when attempts are spent. */
export async function failJob(db: Db, job: Job, workerId: string, options: FailOptions, policy: QueuePolicy): Promise<JobState | null> {
  const dead = options.permanent || job.attempts >= job.max_attempts;
  const delay = options.retryAfterSeconds ?? backoffSeconds(job.attempts, policy);
  const row = await db
    .updateTable('jobs')
    .set({
      state: dead ? 'dead' : 'queued',
      last_error: options.error.slice(0, 8000),
      locked_by: null,
      run_after: dead ? sql`now()` : sql`now() + make_interval(secs => ${delay})`,
      finished_at: dead ? sql`now()` : null,
      updated_at: sql`now()`,
    })
    .where('id', '=', job.id)
    .where('state', '=', 'running')
    .where('locked_by', '=', workerId)
    .returning('state')
    .executeTakeFirst();
  return row?.state ?? null;
}
