import type { CablecastClient } from '../cablecast/index.js';
import type { Db } from '../db/schema.js';
import type { CleanupChange } from './changes.js';

type OrphanChange = Extract<CleanupChange, { action: 'orphan-link' }>;

/**
 * Linked shows that Cablecast no longer has. Shows are asked for 50 at a time; each one
 * absent from that answer is confirmed with its own GET (404) before the link is orphaned.
 */
export async function findOrphanedLinks(db: Db, client: CablecastClient): Promise<OrphanChange[]> {
  const links = await db
    .selectFrom('links')
    .innerJoin('transcripts', 'transcripts.id', 'links.transcript_id')
    .innerJoin('media', 'media.id', 'transcripts.media_id')
    .select(['links.id', 'links.show_id', 'media.id as media_id', 'media.path'])
    .where('links.state', '=', 'linked')
    .where('links.show_id', 'is not', null)
    .orderBy('links.id')
    .execute();
  const showIds = [...new Set(links.flatMap((l) => (l.show_id === null ? [] : [l.show_id])))];
  const present = new Set((await client.getShows(showIds)).map((detail) => detail.show.id));
  const gone = new Set<number>();
  for (const id of showIds) {
    if (!present.has(id) && (await client.getShow(id)) === null) gone.add(id);
  }
  return links.flatMap((l) =>
    l.show_id !== null && gone.has(l.show_id)
      ? [{ action: 'orphan-link' as const, linkId: l.id, showId: l.show_id, mediaId: l.media_id, path: l.path }]
      : [],
  );
}
