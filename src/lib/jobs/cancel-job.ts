import { sql } from 'kysely';
import type { Job } from '../db/schema.js';
import type { Db } from '../db/schema.js';

/** Cancels jobs that have not finished; a running one is stopped at its next heartbeat. */
export async function cancelJobs(db: Db, filter: { jobId?: number; mediaId?: number }, reason: string): Promise<Job[]> {
  let query = db
    .updateTable('jobs')
    .set({ state: 'cancelled', last_error: reason, locked_by: null, finished_at: sql`now()`, updated_at: sql`now()` })
    .where('state', 'in', ['queued', 'running']);
  if (filter.jobId !== undefined) query = query.where('id', '=', filter.jobId);
  if (filter.mediaId !== undefined) query = query.where('media_id', '=', filter.mediaId);
  return query.returningAll().execute();
}
