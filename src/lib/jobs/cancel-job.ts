import { sql } from 'kysely';
import type { Job, JobState } from '../db/schema.js';
import type { Db } from '../db/schema.js';
import type { JobKind } from '../stages.js';

export interface CancelFilter {
  jobId?: number;
  mediaId?: number;
  kind?: JobKind;
  /** Jobs of this site's recordings only. */
  site?: string | undefined;
  /** By default both queued and running jobs; `['queued']` leaves running ones to finish. */
  states?: readonly Extract<JobState, 'queued' | 'running'>[];
}

/** Cancels jobs that have not finished; a running one is stopped at its next heartbeat. */
export async function cancelJobs(db: Db, filter: CancelFilter, reason: string): Promise<Job[]> {
  let query = db
    .updateTable('jobs')
    .set({ state: 'cancelled', last_error: reason, locked_by: null, finished_at: sql`now()`, updated_at: sql`now()` })
    .where('state', 'in', filter.states ?? ['queued', 'running']);
  if (filter.jobId !== undefined) query = query.where('id', '=', filter.jobId);
  if (filter.mediaId !== undefined) query = query.where('media_id', '=', filter.mediaId);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  const site = filter.site;
  if (site !== undefined) query = query.where('media_id', 'in', db.selectFrom('media').select('id').where('site', '=', site));
  return query.returningAll().execute();
}
