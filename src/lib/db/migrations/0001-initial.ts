import { sql, type Kysely } from 'kysely';

/** Migrations see an untyped database: the schema of their day, not of today. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('media')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('share', 'cablecast', 'file')`))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`state in ('active', 'missing')`),
    )
    .addColumn('size', 'bigint')
    .addColumn('mtime', 'timestamptz')
    .addColumn('title', 'text')
    .addColumn('event_date', 'date')
    .addColumn('file_show_id', 'integer')
    .addColumn('reel', 'integer')
    .addColumn('cablecast_show_id', 'integer')
    .addColumn('vod_url', 'text')
    .addColumn('sha256', 'text')
    .addColumn('duration_sec', 'double precision')
    .addColumn('probe', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('media_site_path_key', ['site', 'path'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('media_id', 'integer', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`state in ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('run_after', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('locked_by', 'text')
    .addColumn('locked_at', 'timestamptz')
    .addColumn('heartbeat_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('output', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addUniqueConstraint('jobs_media_kind_key', ['media_id', 'kind'])
    .execute();
  // The claim query scans only runnable jobs; a partial index keeps it cheap as history grows.
  await sql`create index jobs_runnable_idx on jobs (kind, run_after, id) where state = 'queued'`.execute(db);
  await sql`create index jobs_running_idx on jobs (heartbeat_at) where state = 'running'`.execute(db);

  await db.schema
    .createTable('transcripts')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('media_id', 'integer', (c) => c.notNull().unique().references('media.id').onDelete('cascade'))
    .addColumn('engine', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('words', 'jsonb', (c) => c.notNull())
    .addColumn('segments', 'jsonb', (c) => c.notNull())
    .addColumn('source_fingerprint', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('links')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('transcript_id', 'integer', (c) => c.notNull().unique().references('transcripts.id').onDelete('cascade'))
    .addColumn('show_id', 'integer')
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`state in ('pending', 'linked', 'needs_review', 'orphaned')`),
    )
    .addColumn('method', 'text')
    .addColumn('score', 'double precision')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('suggestions', 'jsonb')
    .addColumn('writeback', 'jsonb')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('artifacts')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('media_id', 'integer', (c) => c.references('media.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('sidecar', 'caption', 'rendition', 'scratch')`))
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('sha256', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('outcome', 'text', (c) => c.notNull().defaultTo('running'))
    .addColumn('exit_code', 'integer')
    .addColumn('summary', 'jsonb')
    .execute();
  await sql`create index runs_command_started_idx on runs (command, started_at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['runs', 'artifacts', 'links', 'transcripts', 'jobs', 'media']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
