import { sql } from 'kysely';
import type { Db, Job, JobKind } from '../db/schema.js';
import type { QueuePolicy } from './types.js';

export interface EnqueueOptions {
  mediaId: number;
  kind: JobKind;
  runAfter?: Date | undefined;
}

/**
 * One job per media and kind: enqueueing again is a no-op that returns the existing job,
 * so discovery can run every night without duplicating work.
 */
export async function enqueueJob(
  db: Db,
  options: EnqueueOptions,
  policy: Pick<QueuePolicy, 'maxAttempts'>,
): Promise<{ job: Job; created: boolean }> {
  const inserted = await db
    .insertInto('jobs')
    .values({
      media_id: options.mediaId,
      kind: options.kind,
      max_attempts: policy.maxAttempts,
      // Kysely leaves an undefined value out: the column default (now) applies.
      run_after: options.runAfter,
    })
    .onConflict((oc) => oc.columns(['media_id', 'kind']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { job: inserted, created: true };
  const existing = await db
    .selectFrom('jobs')
    .selectAll()
    .where('media_id', '=', options.mediaId)
    .where('kind', '=', options.kind)
    .executeTakeFirstOrThrow();
  return { job: existing, created: false };
}

/**
 * Puts a finished (or dead, or cancelled) job back in the queue with fresh attempts under the
 * current policy, for `--force` and for a step whose input changed. A running job is left to
 * its worker.
 */
export async function requeueJob(db: Db, options: EnqueueOptions, policy: Pick<QueuePolicy, 'maxAttempts'>): Promise<Job> {
  const { job, created } = await enqueueJob(db, options, policy);
  if (created || job.state === 'running') return job;
  return db
    .updateTable('jobs')
    .set({
      state: 'queued',
      attempts: 0,
      max_attempts: policy.maxAttempts,
      run_after: sql`now()`,
      last_error: null,
      finished_at: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', job.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
