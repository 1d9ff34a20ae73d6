import { sql } from 'kysely';
import type { Job, JobKind } from '../db/schema.js';
import type { Db } from '../db/schema.js';

export interface ClaimOptions {
  kind: JobKind;
  workerId: string;
  limit: number;
  /** Only these media (a command given explicit files works on just those). */
  mediaIds?: readonly number[] | undefined;
  /** Only media of these sites (`--site`): other sites' queued jobs wait for their own runs. */
  sites?: readonly string[] | undefined;
}

/**
 * Takes up to `limit` runnable jobs of one kind. SKIP LOCKED lets many workers on many hosts
 * claim at once without waiting on each other or taking the same job twice. The attempt is
 * counted here, so a worker that dies mid-job has spent it.
 */
export async function claimJobs(db: Db, options: ClaimOptions): Promise<Job[]> {
  return db
    .updateTable('jobs')
    .set({
      state: 'running',
      locked_by: options.workerId,
      locked_at: sql`now()`,
      heartbeat_at: sql`now()`,
      attempts: sql`attempts + 1`,
      updated_at: sql`now()`,
      // A group recorded by an earlier attempt is that attempt's: this one records its own.
      engine_host: null,
      engine_pgid: null,
      engine_started: null,
    })
    .where('id', 'in', (eb) => {
      let runnable = eb
        .selectFrom('jobs')
        .select('id')
        .where('state', '=', 'queued')
        .where('kind', '=', options.kind)
        .where('run_after', '<=', sql<Date>`now()`);
      if (options.mediaIds) runnable = runnable.where('media_id', 'in', options.mediaIds.length > 0 ? [...options.mediaIds] : [-1]);
      const { sites } = options;
      if (sites) {
        runnable = runnable.where('media_id', 'in', (media) =>
          media
            .selectFrom('media')
            .select('id')
            .where('site', 'in', sites.length > 0 ? [...sites] : ['']),
        );
      }
      return runnable.orderBy('run_after').orderBy('id').limit(options.limit).forUpdate().skipLocked();
    })
    .returningAll()
    .execute();
}
