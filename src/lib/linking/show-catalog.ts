import type { CablecastClient, ShowDetail } from '../cablecast/index.js';
import { runningTimeSeconds } from '../cablecast/index.js';
import { isoDay, type ShowFacts } from './score.js';

export function showFacts(detail: ShowDetail): ShowFacts {
  const runningTime = runningTimeSeconds(detail);
  return {
    id: detail.show.id,
    title: detail.show.title,
    cgTitle: detail.show.cgTitle ?? null,
    date: isoDay(detail.show.eventDate),
    runningTimeSec: runningTime > 0 ? runningTime : null,
  };
}

/**
 * The shows of each location, listed once per run (every page) and reused for every recording
 * of that location: a run links many recordings of the same few locations.
 */
export class ShowCatalog {
  readonly #byLocation = new Map<string, Promise<ShowFacts[]>>();

  /** All shows of `location` (all shows when the site has no location configured). */
  showsAt(client: CablecastClient, location: number | undefined): Promise<ShowFacts[]> {
    const key = location === undefined ? 'all' : String(location);
    let listing = this.#byLocation.get(key);
    if (!listing) {
      listing = list(client, location);
      // A failed listing is not kept: the next recording asks again.
      listing.catch(() => this.#byLocation.delete(key));
      this.#byLocation.set(key, listing);
    }
    return listing;
  }
}

async function list(client: CablecastClient, location: number | undefined): Promise<ShowFacts[]> {
  const shows: ShowFacts[] = [];
  for await (const detail of client.listShows({ location, include: ['reel'] })) shows.push(showFacts(detail));
  return shows;
}
