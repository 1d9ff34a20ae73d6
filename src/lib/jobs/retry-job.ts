import { sql } from 'kysely';
import type { Db, Job } from '../db/schema.js';
import type { QueuePolicy } from './types.js';

/** An operator's retry: a dead, cancelled or waiting job runs again now with fresh attempts under the current policy. */
export async function retryJob(db: Db, jobId: number, policy: Pick<QueuePolicy, 'maxAttempts'>): Promise<Job | undefined> {
  return db
    .updateTable('jobs')
    .set({
      state: 'queued',
      attempts: 0,
      max_attempts: policy.maxAttempts,
      run_after: sql`now()`,
      finished_at: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', jobId)
    .where('state', 'in', ['dead', 'cancelled', 'queued'])
    .returningAll()
    .executeTakeFirst();
}
