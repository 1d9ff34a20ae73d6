import type { z } from 'zod';
import { refId, reelSchema, showSchema, vodSchema, type Reel, type Ref, type Show, type ShowsPage, type Vod } from './schemas.js';

/**
 * A show with the reels and VODs it refers to, as far as the response carried them. A record
 * the response left out, or carried in a shape we cannot read, is unknown, for this show only:
 * the caller reports it and asks again on a later run, while every other show goes on.
 */
export interface ShowDetail {
  show: Show;
  /** The referenced reels the response carried, in the show's order. */
  reels: Reel[];
  /** The referenced VODs the response carried, in the show's order. */
  vods: Vod[];
  /** Ids the show refers to that the response did not carry (or carried unreadable): nothing is known of them. */
  unknown: { reels: number[]; vods: number[] };
  /** Why a referenced record is unknown when the response carried it but not in a shape we can read; one line each. */
  problems: string[];
}

/** A show the server named but whose record does not have the shape we read: only that show is affected. */
export interface UnreadableShow {
  id: number;
  /** From the raw record, when it is at least a number there: lets a caller tell whose show it is. */
  location: number | null;
  problem: string;
}

export function isUnreadableShow(item: ShowDetail | UnreadableShow): item is UnreadableShow {
  return 'problem' in item;
}

/** A sideloaded record, parsed, or why it could not be. */
type Carried<T> = { record: T } | { problem: string };

/** The sideloads of one list answer by id; a record without an id cannot be matched to anything and is left out. */
export interface Sideloads {
  reels: ReadonlyMap<number, Carried<Reel>>;
  vods: ReadonlyMap<number, Carried<Vod>>;
}

/** What a list answer (`GET /shows?...`) holds, read record by record. */
export function readShowsPage(page: ShowsPage): { shows: (ShowDetail | UnreadableShow)[] } {
  const sideloads: Sideloads = { reels: carriedById(page.reels ?? [], reelSchema), vods: carriedById(page.vods ?? [], vodSchema) };
  return { shows: page.shows.map((raw) => readShow(raw, sideloads)) };
}

/** One show record read on its own (GET /shows/{id} carries no sideloads: its reels and VODs are unknown). */
export function readBareShow(raw: { id: number } & Record<string, unknown>): ShowDetail | UnreadableShow {
  return readShow(raw, { reels: new Map(), vods: new Map() });
}

function readShow(raw: { id: number } & Record<string, unknown>, sideloads: Sideloads): ShowDetail | UnreadableShow {
  const parsed = showSchema.safeParse(raw);
  if (!parsed.success) {
    return { id: raw.id, location: Number.isInteger(raw.location) ? Number(raw.location) : null, problem: describeIssues(parsed.error) };
  }
  return resolveShowDetail(parsed.data, sideloads);
}

/** Pairs a show with its sideloaded (or embedded) reels and VODs. */
export function resolveShowDetail(show: Show, sideloads: Sideloads): ShowDetail {
  const problems: string[] = [];
  const reels = resolve('reel', show.reels ?? [], sideloads.reels, reelSchema, problems);
  const vods = resolve('VOD', show.vods ?? [], sideloads.vods, vodSchema, problems);
  return { show, reels: reels.found, vods: vods.found, unknown: { reels: reels.missing, vods: vods.missing }, problems };
}

function carriedById<T>(raw: readonly unknown[], schema: z.ZodType<T>): Map<number, Carried<T>> {
  const byId = new Map<number, Carried<T>>();
  for (const item of raw) {
    const id = typeof item === 'object' && item !== null && 'id' in item && Number.isInteger(item.id) ? Number(item.id) : undefined;
    if (id === undefined) continue;
    const parsed = schema.safeParse(item);
    byId.set(id, parsed.success ? { record: parsed.data } : { problem: describeIssues(parsed.error) });
  }
  return byId;
}

function resolve<T>(
  what: string,
  refs: readonly Ref[],
  byId: ReadonlyMap<number, Carried<T>>,
  schema: z.ZodType<T>,
  problems: string[],
): { found: T[]; missing: number[] } {
  const found: T[] = [];
  const missing: number[] = [];
  for (const ref of refs) {
    const id = refId(ref);
    const carried = byId.get(id) ?? (typeof ref === 'object' ? embedded(ref, schema) : undefined);
    if (carried !== undefined && 'record' in carried) {
      found.push(carried.record);
      continue;
    }
    missing.push(id);
    if (carried !== undefined) problems.push(`the record of ${what} ${id} cannot be read (${carried.problem})`);
  }
  return { found, missing };
}

function embedded<T>(ref: object, schema: z.ZodType<T>): Carried<T> {
  const parsed = schema.safeParse(ref);
  return parsed.success ? { record: parsed.data } : { problem: describeIssues(parsed.error) };
}

/** zod's issues as one short line: `url: expected string, received number; show: required`. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length === 0 ? 'record' : issue.path.join('.')}: ${issue.message}`)
    .join('; ');
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
