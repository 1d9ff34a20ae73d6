import { sql } from 'kysely';
import type { Db, Job, JobKind } from '../db/schema.js';
import { requeueJob } from './enqueue-job.js';
import type { QueuePolicy } from './types.js';

export interface CompleteOptions {
  output?: unknown;
  /**
   * The pipeline's next steps, queued in the same transaction so none is ever lost. A next
   * step that already ran is queued again: its input has just been made anew.
   */
  next: readonly JobKind[];
}

/** Marks a claimed job done; false when the lease was lost meanwhile (nothing is written then). */
export async function completeJob(db: Db, job: Job, workerId: string, options: CompleteOptions, policy: QueuePolicy): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('jobs')
      .set({
        state: 'succeeded',
        output: options.output === undefined ? null : JSON.stringify(options.output),
        last_error: null,
        locked_by: null,
        finished_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', job.id)
      .where('state', '=', 'running')
      .where('locked_by', '=', workerId)
      .returning('id')
      .executeTakeFirst();
    if (!done) return false;
    for (const kind of options.next) await requeueJob(trx, { mediaId: job.media_id, kind }, policy);
    return true;
  });
}
