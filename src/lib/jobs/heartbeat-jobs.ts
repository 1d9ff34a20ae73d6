import { sql } from 'kysely';
import type { Db } from '../db/schema.js';

/**
 * Renews the lease on jobs this worker still holds. Returns the ids it no longer holds
 * (recovered by another worker after a stall), whose work the caller should abandon.
 */
export async function heartbeatJobs(db: Db, workerId: string, jobIds: readonly number[]): Promise<number[]> {
  if (jobIds.length === 0) return [];
  const renewed = await db
    .updateTable('jobs')
    .set({ heartbeat_at: sql`now()` })
    .where('id', 'in', [...jobIds])
    .where('state', '=', 'running')
    .where('locked_by', '=', workerId)
    .returning('id')
    .execute();
  const held = new Set(renewed.map((r) => r.id));
  return jobIds.filter((id) => !held.has(id));
}
