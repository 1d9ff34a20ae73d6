import { sql } from 'kysely';
import type { Job } from '../db/schema.js';
import type { Db } from './types.js';

/** An operator's retry: a failed, dead or cancelled job runs again now with fresh attempts. */
export async function retryJob(db: Db, jobId: number): Promise<Job | undefined> {
  return db
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_after: sql`now()`, finished_at: null, updated_at: sql`now()` })
    .where('id', '=', jobId)
    .where('state', 'in', ['failed', 'dead', 'cancelled', 'queued'])
    .returningAll()
    .executeTakeFirst();
}
