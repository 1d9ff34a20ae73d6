import { sql } from 'kysely';
import type { Db } from '../db/schema.js';

/**
 * Hands claimed jobs back untouched (on SIGTERM or when stopping): runnable at once, and the
 * attempt taken at claim is given back because the job itself did not fail.
 */
export async function releaseJobs(db: Db, workerId: string, jobIds: readonly number[]): Promise<number> {
  if (jobIds.length === 0) return 0;
  const rows = await db
    .updateTable('jobs')
    .set({
      state: 'queued',
      attempts: sql`greatest(attempts - 1, 0)`,
      locked_by: null,
      locked_at: null,
      heartbeat_at: null,
      run_after: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', 'in', [...jobIds])
    .where('state', '=', 'running')
    .where('locked_by', '=', workerId)
    .returning('id')
    .execute();
  return rows.length;
}
