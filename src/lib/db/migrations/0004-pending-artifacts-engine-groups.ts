import { sql, type Kysely } from 'kysely';

/**
 * Files are recorded before they appear: an artifact row is `pending` (with the temp file it is
 * written under and, when it replaces our earlier file, that file's hash) from before the
 * rename until after it, so a crash in between leaves a file the next run knows is ours.
 * A job records the process group of the engine it started (host, group id, the leader's start
 * time), so lease recovery can end an engine whose archivist was killed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('artifacts')
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('complete')
        .check(sql`state in ('pending', 'complete')`),
    )
    .addColumn('temp_path', 'text')
    .addColumn('previous_sha256', 'text')
    .execute();
  await db.schema
    .alterTable('jobs')
    .addColumn('engine_host', 'text')
    .addColumn('engine_pgid', 'integer')
    .addColumn('engine_started', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('engine_host').dropColumn('engine_pgid').dropColumn('engine_started').execute();
  await db.schema.alterTable('artifacts').dropColumn('state').dropColumn('temp_path').dropColumn('previous_sha256').execute();
}
