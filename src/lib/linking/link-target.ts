import { UsageError } from '../errors.js';
import type { Db } from '../db/schema.js';

export interface LinkTarget {
  kind: 'media' | 'transcript' | 'either';
  id: number;
}

/** `media:12` (or `m12`), `transcript:7` (or `t7`), or a bare number meaning either. */
export function parseLinkTarget(text: string): LinkTarget {
  const match = /^(?:(media|m|transcript|t):?)?(\d+)$/i.exec(text.trim());
  if (!match?.[2]) throw new UsageError(`not a media or transcript id: "${text}"`, ['write media:12, transcript:7, or a bare number']);
  const prefix = match[1]?.toLowerCase();
  const kind = prefix === undefined ? 'either' : prefix.startsWith('m') ? 'media' : 'transcript';
  return { kind, id: Number(match[2]) };
}

/** The transcript (and its media) an id names; a bare number that names two different ones is refused. */
export async function resolveLinkTarget(db: Db, target: LinkTarget): Promise<{ mediaId: number; transcriptId: number }> {
  const byMedia =
    target.kind === 'transcript'
      ? undefined
      : await db.selectFrom('transcripts').select(['id', 'media_id']).where('media_id', '=', target.id).executeTakeFirst();
  const byTranscript =
    target.kind === 'media'
      ? undefined
      : await db.selectFrom('transcripts').select(['id', 'media_id']).where('id', '=', target.id).executeTakeFirst();
  if (byMedia && byTranscript && byMedia.id !== byTranscript.id) {
    throw new UsageError(`${target.id} is both media ${target.id} and transcript ${target.id} of another recording`, [
      `write media:${target.id} or transcript:${target.id}`,
    ]);
  }
  const found = byMedia ?? byTranscript;
  if (!found) {
    const what = target.kind === 'either' ? 'media or transcript' : target.kind;
    throw new UsageError(`no transcribed recording has ${what} id ${target.id}`, [
      '`archivist link-queue --status` lists the links and their ids',
    ]);
  }
  return { mediaId: found.media_id, transcriptId: found.id };
}
