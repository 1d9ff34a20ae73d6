import { sql } from 'kysely';
import type { Db } from '../db/schema.js';

const FINISHED = ['succeeded', 'dead', 'cancelled'] as const;

/**
 * A succeeded upload job is kept however old: its output is the record that these bytes are
 * on Cablecast already, and without it a rerun of the chain would upload a duplicate asset.
 */
const keepsUploadRecord = sql<boolean>`not (kind = 'upload' and state = 'succeeded')`;

export async function countPrunableJobs(db: Db, before: Date): Promise<number> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', 'in', [...FINISHED])
    .where('finished_at', '<', before)
    .where(keepsUploadRecord)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function pruneJobs(db: Db, before: Date): Promise<number> {
  const rows = await db
    .deleteFrom('jobs')
    .where('state', 'in', [...FINISHED])
    .where('finished_at', '<', before)
    .where(keepsUploadRecord)
    .returning('id')
    .execute();
  return rows.length;
}

/** `status` shows each command's last run, however old: that one is always kept. */
function prunableRuns(db: Db, before: Date) {
  return db
    .selectFrom('runs')
    .select('id')
    .where('finished_at', '<', before)
    .where(sql<boolean>`id not in (select distinct on (command) id from runs order by command, started_at desc, id desc)`);
}

export async function countPrunableRuns(db: Db, before: Date): Promise<number> {
  return (await prunableRuns(db, before).execute()).length;
}

export async function pruneRuns(db: Db, before: Date): Promise<number> {
  const rows = await db.deleteFrom('runs').where('id', 'in', prunableRuns(db, before)).returning('id').execute();
  return rows.length;
}
