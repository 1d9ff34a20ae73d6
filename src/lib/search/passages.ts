import type { TranscriptWord } from '../captions/transcript.js';
import type { Db } from '../db/schema.js';
import { paragraphs } from '../transcript/paragraphs.js';

/** A search passage as stored: the text is its words joined by single spaces, with one start and end per word. */
export interface PassageRow {
  position: number;
  text: string;
  starts_ms: number[];
  ends_ms: number[];
}

/**
 * The passages of a transcript's cleaned words: its paragraphs. A word holding whitespace (an
 * engine token glued to the next) becomes several words sharing its times, so that splitting
 * the text at spaces gives back exactly one time per word.
 */
export function passageRows(words: readonly TranscriptWord[]): PassageRow[] {
  return paragraphs(words).map((paragraph, position) => {
    const texts: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (const word of paragraph.words) {
      for (const part of word.text.split(/\s+/u)) {
        if (part === '') continue;
        texts.push(part);
        starts.push(Math.round(word.start * 1000));
        ends.push(Math.round(word.end * 1000));
      }
    }
    return { position, text: texts.join(' '), starts_ms: starts, ends_ms: ends };
  });
}

/** Rows per insert: well under PostgreSQL's 65,535 parameters. */
const INSERT_CHUNK = 500;

/** Replaces the transcript's searchable passages (none for a transcript with no speech). */
export async function savePassages(db: Db, transcriptId: number, mediaId: number, words: readonly TranscriptWord[]): Promise<void> {
  const rows = passageRows(words).filter((row) => row.text !== '');
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('transcript_passages').where('transcript_id', '=', transcriptId).execute();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('transcript_passages')
        .values(rows.slice(i, i + INSERT_CHUNK).map((row) => ({ ...row, transcript_id: transcriptId, media_id: mediaId })))
        .execute();
    }
  });
}
