import type { Job, JobKind, JobState } from '../db/schema.js';
import type { Db } from '../db/schema.js';

export interface JobListing extends Job {
  path: string;
}

/** Jobs with their media's path, newest first, for an operator looking for one to act on. */
export async function listJobs(db: Db, filter: { state?: JobState; kind?: JobKind; limit: number }): Promise<JobListing[]> {
  let query = db.selectFrom('jobs').innerJoin('media', 'media.id', 'jobs.media_id').selectAll('jobs').select('media.path');
  if (filter.state) query = query.where('jobs.state', '=', filter.state);
  if (filter.kind) query = query.where('jobs.kind', '=', filter.kind);
  return query.orderBy('jobs.updated_at', 'desc').orderBy('jobs.id', 'desc').limit(filter.limit).execute();
}
