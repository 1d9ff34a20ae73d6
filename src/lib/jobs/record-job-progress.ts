import { sql } from 'kysely';
import type { Db } from '../db/schema.js';

/**
 * Saves a running job's progress in its output (e.g. the upload segments the server has
 * acknowledged), so a rerun after a crash continues where this one stopped. Only the worker
 * holding the lease may write; false means it no longer holds it.
 */
export async function recordJobProgress(db: Db, jobId: number, workerId: string, output: unknown): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set({ output: JSON.stringify(output), heartbeat_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', jobId)
    .where('state', '=', 'running')
    .where('locked_by', '=', workerId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
