import { refId, reelSchema, vodSchema, type Reel, type Ref, type Show, type ShowsPage, type Vod } from './schemas.js';

/**
 * A show with the reels and VODs it refers to, as far as the response carried them. A record
 * the response left out is unknown, for this show only: the caller reports it and asks again
 * on a later run, while every other show goes on.
 */
export interface ShowDetail {
  show: Show;
  /** The referenced reels the response carried, in the show's order. */
  reels: Reel[];
  /** The referenced VODs the response carried, in the show's order. */
  vods: Vod[];
  /** Ids the show refers to that the response did not carry: nothing is known of them. */
  unknown: { reels: number[]; vods: number[] };
}

/** Pairs each show of a list answer with its sideloaded (or embedded) reels and VODs. */
export function resolveShowDetail(show: Show, sideloads: Pick<ShowsPage, 'reels' | 'vods'>): ShowDetail {
  const reels = resolve(show.reels ?? [], new Map((sideloads.reels ?? []).map((r) => [r.id, r])), reelSchema);
  const vods = resolve(show.vods ?? [], new Map((sideloads.vods ?? []).map((v) => [v.id, v])), vodSchema);
  return { show, reels: reels.found, vods: vods.found, unknown: { reels: reels.missing, vods: vods.missing } };
}

/** A show read on its own (GET /shows/{id}), which carries no sideloads: its reels and VODs are unknown. */
export function bareShowDetail(show: Show): ShowDetail {
  return resolveShowDetail(show, {});
}

function resolve<T>(
  refs: readonly Ref[],
  byId: ReadonlyMap<number, T>,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
): { found: T[]; missing: number[] } {
  const found: T[] = [];
  const missing: number[] = [];
  for (const ref of refs) {
    const sideloaded = byId.get(refId(ref));
    const embedded = sideloaded === undefined && typeof ref === 'object' ? schema.safeParse(ref) : undefined;
    if (sideloaded !== undefined) found.push(sideloaded);
    else if (embedded?.success === true) found.push(embedded.data);
    else missing.push(refId(ref));
  }
  return { found, missing };
}

/**
 * Seconds: the show's `totalRunTime`, else the sum of its reels, or null when neither is
 * known (no run time, no reels, or a reel the response did not carry).
 */
export function runningTimeSeconds(detail: ShowDetail): number | null {
  const total = detail.show.totalRunTime;
  if (typeof total === 'number' && total > 0) return total;
  if (detail.unknown.reels.length > 0 || detail.reels.length === 0) return null;
  const sum = detail.reels.reduce((seconds, reel) => seconds + (reel.length ?? 0), 0);
  return sum > 0 ? sum : null;
}
