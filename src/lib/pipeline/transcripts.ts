import { z } from 'zod';
import type { Media } from '../db/schema.js';
import type { Transcript } from '../captions/transcript.js';
import type { Db } from '../db/schema.js';

/** What identifies the content we transcribed: a file replaced in place gets a new transcript. */
export function fingerprint(media: Pick<Media, 'size' | 'mtime' | 'sha256'>): string {
  return media.sha256 ?? `${media.size ?? '?'}:${media.mtime?.toISOString() ?? '?'}`;
}

export async function saveTranscript(
  db: Db,
  mediaId: number,
  transcript: Transcript,
  source: { engine: string; model: string; fingerprint: string },
): Promise<number> {
  const row = {
    media_id: mediaId,
    engine: source.engine,
    model: source.model,
    language: transcript.language ?? null,
    text: transcript.text,
    words: JSON.stringify(transcript.words),
    segments: JSON.stringify(transcript.segments),
    source_fingerprint: source.fingerprint,
  };
  const saved = await db
    .insertInto('transcripts')
    .values(row)
    .onConflict((oc) => oc.column('media_id').doUpdateSet({ ...row, created_at: new Date() }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return saved.id;
}

const storedWords = z.array(z.object({ text: z.string(), start: z.number(), end: z.number(), probability: z.number().optional() }));
const storedSegments = z.array(z.object({ start: z.number(), end: z.number(), text: z.string() }));

export async function loadTranscript(
  db: Db,
  mediaId: number,
): Promise<{ id: number; transcript: Transcript; fingerprint: string | null } | undefined> {
  const row = await db.selectFrom('transcripts').selectAll().where('media_id', '=', mediaId).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    fingerprint: row.source_fingerprint,
    transcript: {
      text: row.text,
      words: storedWords.parse(row.words),
      segments: storedSegments.parse(row.segments),
      language: row.language ?? undefined,
    },
  };
}
