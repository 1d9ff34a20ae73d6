import { z } from 'zod';
import type { LinkState } from '../db/schema.js';
import type { Db } from '../db/schema.js';
import type { Suggestion } from './find-show.js';
import { parseWriteback, type WritebackRecord } from './writeback.js';

export interface LinkStatus {
  linkId: number;
  mediaId: number;
  transcriptId: number;
  path: string;
  state: LinkState;
  showId: number | null;
  method: string | null;
  score: number | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  suggestions: Suggestion[];
  writeback: WritebackRecord | null;
}

const suggestionsSchema = z.array(
  z.object({ showId: z.number().int(), title: z.string(), eventDate: z.string().nullable(), score: z.number() }),
);

export async function linkStatuses(db: Db, filter: { transcriptId?: number } = {}): Promise<LinkStatus[]> {
  let query = db
    .selectFrom('links')
    .innerJoin('transcripts', 'transcripts.id', 'links.transcript_id')
    .innerJoin('media', 'media.id', 'transcripts.media_id')
    .selectAll('links')
    .select(['media.id as media_id', 'media.path'])
    .orderBy('links.id');
  if (filter.transcriptId !== undefined) query = query.where('links.transcript_id', '=', filter.transcriptId);
  const rows = await query.execute();
  return rows.map((row) => ({
    linkId: row.id,
    mediaId: row.media_id,
    transcriptId: row.transcript_id,
    path: row.path,
    state: row.state,
    showId: row.show_id,
    method: row.method,
    score: row.score,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? row.next_attempt_at.toISOString() : null,
    lastError: row.last_error,
    suggestions: row.suggestions === null ? [] : suggestionsSchema.parse(row.suggestions),
    writeback: parseWriteback(row.writeback),
  }));
}
