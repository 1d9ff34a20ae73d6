import { sql, type Kysely } from 'kysely';

/**
 * Removes what nothing wrote or read: the job state `failed` (a failure goes back to `queued`
 * with its error, or to `dead`), the artifact kind `scratch` (scratch files are found by name),
 * and `media.reel` (the reel number in a Flex file name was parsed and never used).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update jobs set state = 'queued' where state = 'failed'`.execute(db);
  await sql`alter table jobs drop constraint if exists jobs_state_check`.execute(db);
  await sql`alter table jobs add constraint jobs_state_check check (state in ('queued', 'running', 'succeeded', 'dead', 'cancelled'))`.execute(
    db,
  );
  await sql`delete from artifacts where kind = 'scratch'`.execute(db);
  await sql`alter table artifacts drop constraint if exists artifacts_kind_check`.execute(db);
  await sql`alter table artifacts add constraint artifacts_kind_check check (kind in ('sidecar', 'caption', 'rendition'))`.execute(db);
  await db.schema.alterTable('media').dropColumn('reel').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('media').addColumn('reel', 'integer').execute();
  await sql`alter table artifacts drop constraint if exists artifacts_kind_check`.execute(db);
  await sql`alter table artifacts add constraint artifacts_kind_check check (kind in ('sidecar', 'caption', 'rendition', 'scratch'))`.execute(
    db,
  );
  await sql`alter table jobs drop constraint if exists jobs_state_check`.execute(db);
  await sql`alter table jobs add constraint jobs_state_check check (state in ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'))`.execute(
    db,
  );
}
