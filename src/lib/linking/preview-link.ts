import type { LinkState, Media } from '../db/schema.js';
import type { Db } from '../db/schema.js';
import { findShow, type LinkDecision } from './find-show.js';
import { evidenceFor, type LinkEnv } from './link-env.js';
import { afterUnmatched } from './link-state.js';
import { assertTextField, CablecastFieldTypeError, fieldTarget } from '../cablecast/index.js';
import { captionsArrival } from './captions-arrival.js';
import { alreadyWritten, parseWriteback, renderWritebackValue } from './writeback.js';

export interface LinkPreview {
  mediaId: number;
  path: string;
  current: LinkState | 'none';
  /** What a run would do to the link. */
  outcome: 'link' | 'retry' | 'needs_review' | 'keep';
  showId: number | null;
  method: string | null;
  score: number | null;
  reason?: string | undefined;
  decision?: LinkDecision;
  /** What a run would write to the show. */
  writeback: string;
}

/** What linkMedia would do, read-only: Cablecast is asked, nothing is written anywhere. */
export async function previewLink(db: Db, media: Media, env: LinkEnv): Promise<LinkPreview> {
  const transcript = await db.selectFrom('transcripts').select('id').where('media_id', '=', media.id).executeTakeFirst();
  const link = transcript
    ? await db.selectFrom('links').selectAll().where('transcript_id', '=', transcript.id).executeTakeFirst()
    : undefined;
  const base = { mediaId: media.id, path: media.path, current: link?.state ?? ('none' as const) };
  if (!transcript)
    return { ...base, outcome: 'keep', showId: null, method: null, score: null, reason: 'no transcript yet', writeback: '-' };

  if (!link || link.state === 'pending') {
    const decision = await findShow(evidenceFor(media, env.sites), env.client, env.catalog, env.settings);
    if (!decision.matched) {
      const next = afterUnmatched((link?.attempts ?? 0) + 1, env.settings, env.now());
      return {
        ...base,
        outcome: next.state === 'pending' ? 'retry' : 'needs_review',
        showId: null,
        method: null,
        score: null,
        reason: decision.reason,
        decision,
        writeback: '-',
      };
    }
    return {
      ...base,
      outcome: 'link',
      showId: decision.showId,
      method: decision.method,
      score: decision.score,
      decision,
      writeback: await previewWriteback(db, media.id, decision.showId, null, env),
    };
  }
  if (link.state === 'linked' && link.show_id !== null) {
    return {
      ...base,
      outcome: 'keep',
      showId: link.show_id,
      method: link.method,
      score: link.score,
      writeback: await previewWriteback(db, media.id, link.show_id, link.writeback, env),
    };
  }
  return {
    ...base,
    outcome: 'keep',
    showId: link.show_id,
    method: link.method,
    score: link.score,
    reason: link.last_error ?? undefined,
    writeback: '-',
  };
}

/** What the write-back would do, in words; nothing is written (a refused field is named, not thrown). */
export async function previewWriteback(db: Db, mediaId: number, showId: number, stored: unknown, env: LinkEnv): Promise<string> {
  const settings = env.settings.writeback;
  if (!settings) return 'off';
  const arrival = await captionsArrival(db, mediaId, { sites: env.sites, uploadEnabled: env.uploadEnabled });
  if (!arrival.reached) return `${arrival.state === 'waiting' ? 'wait' : 'skip'}: ${arrival.reason}`;
  const value = renderWritebackValue(settings.value, arrival);
  if (alreadyWritten(parseWriteback(stored), { showId, field: settings.field, value }))
    return `already written: ${settings.field} = "${value}"`;
  const detail = await env.client.getShow(showId);
  if (detail === null) return `show ${showId} no longer exists`;
  const target = await fieldTarget(detail.show, settings.field, () => env.client.listShowFields());
  try {
    assertTextField(showId, target);
  } catch (error) {
    if (error instanceof CablecastFieldTypeError) return `refused: ${error.message}`;
    throw error;
  }
  const holds = detail.show.customFields?.some((entry) => entry.showField === target.showField && entry.value === value) ?? false;
  return holds ? `already set: ${settings.field} = "${value}"` : `would set ${settings.field} = "${value}"`;
}
