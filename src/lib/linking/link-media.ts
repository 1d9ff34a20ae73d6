import type { Link, LinkState, Media } from '../db/schema.js';
import type { TextFieldWrite } from '../cablecast/index.js';
import { PermanentError, errorMessage } from '../errors.js';
import type { Db } from '../db/schema.js';
import { findShow, type LinkDecision, type Suggestion } from './find-show.js';
import { evidenceFor, type LinkEnv } from './link-env.js';
import { afterUnmatched } from './link-state.js';
import { ensureLink, getLink, orphanLink, saveMatch, saveUnmatched, saveWriteback } from './links-db.js';
import { captionsArrival } from './captions-arrival.js';
import { alreadyWritten, parseWriteback, renderWritebackValue, type WritebackRecord } from './writeback.js';

export interface LinkOutput {
  linkId: number;
  state: LinkState;
  showId: number | null;
  method: string | null;
  score: number | null;
  attempts: number;
  nextAttemptAt?: string | undefined;
  reason?: string | undefined;
  suggestions?: Suggestion[] | undefined;
  notes?: string[] | undefined;
  writeback: WritebackRecord | 'off' | null;
}

export async function transcriptIdOf(db: Db, mediaId: number): Promise<number> {
  const row = await db.selectFrom('transcripts').select('id').where('media_id', '=', mediaId).executeTakeFirst();
  if (!row) throw new PermanentError(`media ${mediaId} has no transcript; nothing to link`);
  return row.id;
}

/**
 * One link job: find the show for a pending link (or count an unmatched attempt), then make
 * sure a linked show carries the write-back. needs_review and orphaned links are left for a
 * person. Write-back failures are thrown after being recorded, so the job retries only them
 * (or, for a usage error such as a field that takes no text, the link kind waits for a fix).
 */
export async function linkMedia(db: Db, media: Media, env: LinkEnv): Promise<LinkOutput> {
  let link = await ensureLink(db, await transcriptIdOf(db, media.id));
  let decision: LinkDecision | undefined;
  if (link.state === 'pending') {
    decision = await findShow(evidenceFor(media, env.sites), env.client, env.catalog, env.settings);
    if (decision.matched) {
      await saveMatch(db, link, decision);
    } else {
      await saveUnmatched(db, link, afterUnmatched(link.attempts + 1, env.settings, env.now()), decision.suggestions, decision.reason);
    }
    link = await getLink(db, link.id);
  }
  if (link.state === 'linked' && link.show_id !== null) {
    const writeback = await writeBack(db, link, link.show_id, media.id, env);
    if (writeback === 'orphaned') link = await getLink(db, link.id);
    else return describe(link, decision, writeback);
  }
  return describe(link, decision, parseWriteback(link.writeback));
}

/**
 * The write-back states what is true: it is written only once the captions have reached
 * Cablecast (captions-arrival.ts); until then it waits, saying why. A field that cannot take
 * text is refused by the client (CablecastFieldTypeError, a usage error): recorded as failed
 * and thrown, so the link kind waits for the configuration to be fixed rather than retrying.
 */
async function writeBack(db: Db, link: Link, showId: number, mediaId: number, env: LinkEnv): Promise<WritebackRecord | 'off' | 'orphaned'> {
  const settings = env.settings.writeback;
  if (!settings) return 'off';
  const previous = parseWriteback(link.writeback);
  const at = env.now().toISOString();
  const arrival = await captionsArrival(db, mediaId, { sites: env.sites, uploadEnabled: env.uploadEnabled });
  if (!arrival.reached) {
    const record: WritebackRecord = {
      state: arrival.state,
      showId,
      field: settings.field,
      value: null,
      wrote: false,
      at,
      reason: arrival.reason,
    };
    await saveWriteback(db, link.id, record);
    return record;
  }
  const value = renderWritebackValue(settings.value, arrival);
  if (previous !== null && alreadyWritten(previous, { showId, field: settings.field, value })) return previous;

  const detail = await env.client.getShow(showId);
  if (detail === null) {
    await orphanLink(db, link.id, `show ${showId} no longer exists in Cablecast`);
    return 'orphaned';
  }
  const base = { showId, field: settings.field, value, at };
  let written: TextFieldWrite;
  try {
    written = await env.client.writeShowTextField(showId, settings.field, value);
  } catch (error) {
    await saveWriteback(db, link.id, { ...base, state: 'failed', wrote: false, reason: errorMessage(error) });
    throw error;
  }
  const record: WritebackRecord = { ...base, state: 'written', wrote: written.changed };
  await saveWriteback(db, link.id, record);
  return record;
}

function describe(link: Link, decision: LinkDecision | undefined, writeback: WritebackRecord | 'off' | null): LinkOutput {
  return {
    linkId: link.id,
    state: link.state,
    showId: link.show_id,
    method: link.method,
    score: link.score,
    attempts: link.attempts,
    nextAttemptAt: link.state === 'pending' ? link.next_attempt_at.toISOString() : undefined,
    reason: link.last_error ?? undefined,
    suggestions: decision && !decision.matched ? decision.suggestions : undefined,
    notes: decision && decision.notes.length > 0 ? decision.notes : undefined,
    writeback,
  };
}
