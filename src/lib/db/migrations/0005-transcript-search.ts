import { sql, type Kysely } from 'kysely';

/**
 * Transcript search (issue 18): each transcript's cleaned words, as captioned, are kept in
 * passages (the paragraphs `archivist transcript` prints), each with its text, a tsvector of it
 * under the `english` configuration (PostgreSQL and the embedded PGlite both ship it) and a GIN
 * index, and its words' times in milliseconds (one per space-separated word of the text), so a
 * hit is timed to the word without reading the whole transcript. A transcript file that
 * `archivist transcript --out` writes is recorded as an artifact of kind `transcript`, so it
 * alone may be replaced without --overwrite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('transcript_passages')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('transcript_id', 'integer', (c) => c.notNull().references('transcripts.id').onDelete('cascade'))
    .addColumn('media_id', 'integer', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('starts_ms', sql`integer[]`, (c) => c.notNull())
    .addColumn('ends_ms', sql`integer[]`, (c) => c.notNull())
    .addColumn('search', sql`tsvector`, (c) =>
      c
        .notNull()
        .generatedAlwaysAs(sql`to_tsvector('english'::regconfig, text)`)
        .stored(),
    )
    .addUniqueConstraint('transcript_passages_position', ['transcript_id', 'position'])
    .execute();
  await db.schema.createIndex('transcript_passages_search').on('transcript_passages').using('gin').column('search').execute();
  await db.schema.createIndex('transcript_passages_media').on('transcript_passages').column('media_id').execute();
  await setArtifactKinds(db, ['sidecar', 'caption', 'rendition', 'scratch', 'transcript']);
}

/** Replaces the check on artifacts.kind (0008 uses it too). */
export async function setArtifactKinds(db: Kysely<unknown>, kinds: readonly string[]): Promise<void> {
  await sql`alter table artifacts drop constraint artifacts_kind_check`.execute(db);
  await sql`alter table artifacts add constraint artifacts_kind_check check (kind in (${sql.join(kinds.map((k) => sql.lit(k)))}))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from artifacts where kind = 'transcript'`.execute(db);
  await setArtifactKinds(db, ['sidecar', 'caption', 'rendition', 'scratch']);
  await db.schema.dropTable('transcript_passages').execute();
}
