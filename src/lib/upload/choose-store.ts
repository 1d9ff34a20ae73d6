import type { CablecastClient, FileStore } from '../cablecast/index.js';
import type { Media } from '../db/schema.js';
import { PermanentError, UsageError } from '../errors.js';
import type { Db } from '../db/schema.js';

export interface StoreSettings {
  /** --store */
  explicit?: number | undefined;
  /** upload.store */
  configured?: number | undefined;
  /** cablecast.fileStore: used when the show's own store cannot be told. */
  fallback?: number | undefined;
}

export interface StoreChoice {
  store: number;
  /** How it was chosen, in words, when that is worth telling (a fallback, and why). */
  note?: string;
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

/** The stores Cablecast has, for a person choosing one. */
function storesLine(stores: readonly FileStore[]): string {
  return stores.length === 0
    ? 'Cablecast lists no file stores'
    : `Cablecast's file stores: ${stores.map((s) => `${s.id} ${s.name}`).join(', ')}`;
}

/**
 * Where an upload goes: --store, else upload.store, else the store holding the show's video.
 * Cablecast's API names no store for a reel or VOD, and a file store's `location` is not a
 * confirmed field: only when every store states one, and exactly one serves the show's
 * location, is that store taken. Otherwise cablecast.fileStore (saying why), else a refusal.
 *
 * A refusal about the server's stores is a usage error: the reference leaves naming the store
 * to the configuration, so a store given that Cablecast does not have, or none given where the
 * stores cannot tell, is for the operator to fix. The job is handed back and runs once they
 * have; as a failure it would be dead for good, fix or not. A refusal about one recording (not
 * linked to a show, its show gone) is that item's alone: it fails for good, saying how to link
 * it and retry, and the other uploads go on. A store taken from the show's location comes from
 * Cablecast's own list: it exists.
 */
export async function chooseStore(db: Db, client: CablecastClient, media: Media, settings: StoreSettings): Promise<StoreChoice> {
  const stores = await client.listFileStores();
  const known = (id: number, setting: string): number => {
    if (stores.some((s) => s.id === id)) return id;
    throw new UsageError(`${setting} is ${id}, but Cablecast has no file store ${id}`, [
      storesLine(stores),
      `set ${setting} to one of them`,
    ]);
  };
  if (settings.explicit !== undefined) return { store: known(settings.explicit, '--store') };
  if (settings.configured !== undefined) return { store: known(settings.configured, 'upload.store') };

  const found = await storeAtShowLocation(db, client, media, stores);
  if (typeof found === 'number') return { store: found };
  const { why, only } = found;
  if (settings.fallback !== undefined) {
    return {
      store: known(settings.fallback, 'cablecast.fileStore'),
      note: `uploading to cablecast.fileStore ${settings.fallback}: ${why}`,
    };
  }
  if (only === 'item') {
    throw new PermanentError(
      `cannot tell which Cablecast file store holds the video (${why}); link it ` +
        `(archivist link-queue --link media:${media.id} --show <show-id>) and retry this job, or set upload.store`,
    );
  }
  throw new UsageError(`cannot tell which Cablecast file store holds the video (${why})`, [
    storesLine(stores),
    'set upload.store in the config or pass --store',
  ]);
}

/** Why the store cannot be told, and whether that is this recording's own case or the server's stores'. */
interface Untold {
  why: string;
  only: 'item' | 'stores';
}

/** The one store serving the show's location, or why it cannot be told. */
async function storeAtShowLocation(db: Db, client: CablecastClient, media: Media, stores: readonly FileStore[]): Promise<number | Untold> {
  const showId = await showIdOf(db, media);
  if (showId === undefined) return { why: `media ${media.id} is not linked to a Cablecast show`, only: 'item' };
  const detail = await client.getShow(showId);
  if (detail === null) return { why: `show ${showId} does not exist on Cablecast`, only: 'item' };
  if (stores.length === 0 || !stores.every((s) => typeof s.location === 'number')) {
    return { why: "Cablecast's file stores do not say which location they serve", only: 'stores' };
  }
  const location = detail.show.location;
  const atLocation = stores.filter((s) => s.location === location);
  const only = atLocation[0];
  if (atLocation.length === 1 && only !== undefined) return only.id;
  return { why: `show ${showId}'s location ${location} has ${atLocation.length} file stores`, only: 'stores' };
}
