import { sql, type Kysely } from 'kysely';

/**
 * Human edits (issue 18): a recording whose captions a person corrected and imported keeps
 * them. The row holds the file they came from, when, and the edited captions themselves
 * ([start, end, lines] each), which renditions are made from; while it exists no step
 * replaces the recording's caption files or transcript.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('caption_edits')
    .addColumn('media_id', 'integer', (c) => c.primaryKey().references('media.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('captions', 'jsonb', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('caption_edits').execute();
}
