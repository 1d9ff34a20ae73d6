import type { CablecastClient } from '../cablecast/index.js';
import type { Media } from '../db/schema.js';
import { PermanentError } from '../errors.js';
import type { Db } from '../db/schema.js';

export interface StoreSettings {
  /** --store */
  explicit?: number | undefined;
  /** upload.store */
  configured?: number | undefined;
  /** cablecast.fileStore: used when the show's own store cannot be told. */
  fallback?: number | undefined;
}

/** The show a media item belongs to: a confirmed link first, then what discovery knew. */
async function showIdOf(db: Db, media: Media): Promise<number | undefined> {
  const linked = await db
    .selectFrom('links')
    .innerJoin('transcripts', 'transcripts.id', 'links.transcript_id')
    .select('links.show_id')
    .where('transcripts.media_id', '=', media.id)
    .where('links.state', '=', 'linked')
    .where('links.show_id', 'is not', null)
    .executeTakeFirst();
  return linked?.show_id ?? media.cablecast_show_id ?? media.file_show_id ?? undefined;
}

/**
 * Where an upload goes: --store, else upload.store, else the store holding the show's
 * video. Cablecast's API names no store for a reel or VOD, so that store is known only when
 * the show's location has exactly one; otherwise cablecast.fileStore, else a clear refusal.
 * The store must exist, so a typo fails once, not on every retry.
 */
export async function chooseStore(db: Db, client: CablecastClient, media: Media, settings: StoreSettings): Promise<number> {
  const stores = await client.listFileStores();
  const known = (id: number): number => {
    if (!stores.some((s) => s.id === id)) {
      const list = stores.map((s) => `${s.id} ${s.name}`).join(', ') || 'none';
      throw new PermanentError(`Cablecast has no file store ${id} (it has: ${list})`);
    }
    return id;
  };
  const chosen = settings.explicit ?? settings.configured;
  if (chosen !== undefined) return known(chosen);

  const showId = await showIdOf(db, media);
  const show = showId === undefined ? null : await client.getShow(showId);
  const atLocation = show === null ? [] : stores.filter((s) => s.location === show.show.location);
  if (atLocation.length === 1 && atLocation[0] !== undefined) return atLocation[0].id;
  if (settings.fallback !== undefined) return known(settings.fallback);
  const why =
    showId === undefined
      ? `media ${media.id} is not linked to a Cablecast show`
      : show === null
        ? `show ${showId} does not exist on Cablecast`
        : `show ${showId}'s location ${show.show.location} has ${atLocation.length} file stores`;
  throw new PermanentError(
    `cannot tell which Cablecast file store holds the video (${why}); set upload.store in the config or pass --store`,
  );
}
