import { sql } from 'kysely';
import type { Db } from '../db/schema.js';

/**
 * Jobs whose worker stopped heartbeating (killed, host lost) go back to the queue. The
 * attempt they took stays spent, so a job that kills its worker every time ends `dead`.
 */
export async function recoverStaleJobs(db: Db, leaseSeconds: number): Promise<{ id: number; state: string }[]> {
  return db
    .updateTable('jobs')
    .set({
      state: sql`case when attempts >= max_attempts then 'dead' else 'queued' end`,
      last_error: sql`'lease expired: worker ' || coalesce(locked_by, '?') || ' stopped heartbeating'`,
      locked_by: null,
      run_after: sql`now()`,
      finished_at: sql`case when attempts >= max_attempts then now() else null end`,
      updated_at: sql`now()`,
    })
    .where('state', '=', 'running')
    .where('heartbeat_at', '<', sql<Date>`now() - make_interval(secs => ${leaseSeconds})`)
    .returning(['id', 'state'])
    .execute();
}
