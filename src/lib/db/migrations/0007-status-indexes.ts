import { sql, type Kysely } from 'kysely';

/**
 * What `status` asks of a database a station has used for years, each answered from an index
 * instead of a scan of every job, transcript and artifact (bench/status.ts):
 * - the recent failures: the few jobs that failed and wait for a retry or failed for good,
 *   newest first, in a partial index that holds only them;
 * - what was captioned in the last 24 hours, by kind, state and finish time, which on
 *   PostgreSQL also counts the jobs by kind and state from the index alone;
 * - the latest captions and the recordings with no speech, and how many there are;
 * - the caption files of given recordings (the artifacts had no index by recording).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index jobs_failures_idx on jobs (updated_at) where last_error is not null and state in ('queued', 'dead')`.execute(db);
  await sql`create index jobs_kind_state_finished_idx on jobs (kind, state, finished_at)`.execute(db);
  await sql`create index transcripts_no_speech_created_idx on transcripts (no_speech, created_at, id)`.execute(db);
  await sql`create index artifacts_media_idx on artifacts (media_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['artifacts_media_idx', 'transcripts_no_speech_created_idx', 'jobs_kind_state_finished_idx', 'jobs_failures_idx']) {
    await sql`drop index if exists ${sql.id(index)}`.execute(db);
  }
}
