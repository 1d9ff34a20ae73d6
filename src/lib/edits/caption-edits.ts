import { z } from 'zod';
import type { Caption } from '../captions/segment.js';
import type { Db } from '../db/schema.js';
import { parseStored } from '../pipeline/transcripts.js';

export interface CaptionEdit {
  source: string;
  importedAt: Date;
  captions: Caption[];
}

const storedCaptions = z.array(z.tuple([z.number(), z.number(), z.array(z.string())]));

/** The captions a person edited for this recording, or undefined when its captions are Archivist's. */
export async function findEdit(db: Db, mediaId: number): Promise<CaptionEdit | undefined> {
  const row = await db.selectFrom('caption_edits').selectAll().where('media_id', '=', mediaId).executeTakeFirst();
  if (!row) return undefined;
  const captions = parseStored(storedCaptions, row.captions, `the edited captions of media ${mediaId}`);
  return { source: row.source, importedAt: row.imported_at, captions: captions.map(([start, end, lines]) => ({ start, end, lines })) };
}

export async function saveEdit(db: Db, mediaId: number, source: string, captions: readonly Caption[]): Promise<void> {
  const row = {
    media_id: mediaId,
    source,
    captions: JSON.stringify(captions.map((c) => [c.start, c.end, c.lines])),
    imported_at: new Date(),
  };
  await db
    .insertInto('caption_edits')
    .values(row)
    .onConflict((oc) => oc.column('media_id').doUpdateSet(row))
    .execute();
}

/** Forgets a recording's edit (--discard-edits): its captions are Archivist's again from the next captions step. */
export async function discardEdit(db: Db, mediaId: number): Promise<boolean> {
  const result = await db.deleteFrom('caption_edits').where('media_id', '=', mediaId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
