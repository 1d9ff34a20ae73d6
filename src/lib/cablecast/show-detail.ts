import { CablecastResponseError } from './errors.js';
import { refId, reelSchema, vodSchema, type Reel, type Ref, type Show, type Vod } from './schemas.js';

/** A show with the reels and VODs it refers to, resolved from the response's sideloads. */
export interface ShowDetail {
  show: Show;
  reels: Reel[];
  vods: Vod[];
}

export type ShowInclude = 'reel' | 'vod';

export interface Sideloads {
  reels: readonly Reel[];
  vods: readonly Vod[];
}

/**
 * Pairs each show with its sideloaded records. A referenced record that is missing from a
 * sideload that was asked for is an error: silently dropping it would misstate running times.
 */
export function resolveShowDetail(show: Show, sideloads: Sideloads, include: ReadonlySet<ShowInclude>, url: string): ShowDetail {
  const reelsById = new Map(sideloads.reels.map((r) => [r.id, r]));
  const vodsById = new Map(sideloads.vods.map((v) => [v.id, v]));
  return {
    show,
    reels: include.has('reel') ? show.reels.map((ref) => lookup(ref, reelsById, reelSchema, show.id, 'reel', url)) : [],
    vods: include.has('vod') ? show.vods.map((ref) => lookup(ref, vodsById, vodSchema, show.id, 'vod', url)) : [],
  };
}

function lookup<T>(
  ref: Ref,
  byId: ReadonlyMap<number, T>,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  showId: number,
  kind: string,
  url: string,
): T {
  const found = byId.get(refId(ref));
  if (found !== undefined) return found;
  if (typeof ref === 'object') {
    const embedded = schema.safeParse(ref);
    if (embedded.success) return embedded.data;
  }
  throw new CablecastResponseError('GET', url, `show ${showId} refers to ${kind} ${refId(ref)}, which the response did not include`, '');
}

/** A show's running time is the sum of its reels' lengths (Cablecast has no length field on shows). */
export function runningTimeSeconds(detail: ShowDetail): number {
  return detail.reels.reduce((sum, reel) => sum + (reel.length ?? 0), 0);
}
