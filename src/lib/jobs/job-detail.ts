import type { Db, Job } from '../db/schema.js';

export interface JobDetail {
  job: Job;
  media: { id: number; site: string; path: string; title: string | null; state: string };
  /** Every file Archivist wrote for the recording. */
  files: { kind: string; path: string; state: string; createdAt: Date }[];
  /** The recording's chain: each of its jobs, in the order they were made. */
  history: {
    id: number;
    kind: string;
    state: string;
    attempts: number;
    createdAt: Date;
    finishedAt: Date | null;
    lastError: string | null;
  }[];
}

/** One job whole, with its recording, files and chain; undefined when there is no such job. */
export async function jobDetail(db: Db, id: number): Promise<JobDetail | undefined> {
  const job = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!job) return undefined;
  const media = await db
    .selectFrom('media')
    .select(['id', 'site', 'path', 'title', 'state'])
    .where('id', '=', job.media_id)
    .executeTakeFirstOrThrow();
  const files = await db
    .selectFrom('artifacts')
    .select(['kind', 'path', 'state', 'created_at'])
    .where('media_id', '=', job.media_id)
    .orderBy('id')
    .execute();
  const chain = await db
    .selectFrom('jobs')
    .select(['id', 'kind', 'state', 'attempts', 'created_at', 'finished_at', 'last_error'])
    .where('media_id', '=', job.media_id)
    .orderBy('id')
    .execute();
  return {
    job,
    media,
    files: files.map((f) => ({ kind: f.kind, path: f.path, state: f.state, createdAt: f.created_at })),
    history: chain.map((j) => ({
      id: j.id,
      kind: j.kind,
      state: j.state,
      attempts: j.attempts,
      createdAt: j.created_at,
      finishedAt: j.finished_at,
      lastError: j.last_error,
    })),
  };
}
