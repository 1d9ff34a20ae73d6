import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import type { CablecastClient } from '../cablecast/client.js';
import { isUnreadableShow, type ShowDetail, type UnreadableShow } from '../cablecast/show-detail.js';
import { vodReadiness } from '../cablecast/vod-readiness.js';
import type { Show, Vod } from '../cablecast/schemas.js';
import type { Site } from '../config/schema.js';
import { ArchivistError, errorMessage } from '../errors.js';
import { confinedPath, safeBaseName } from '../fs/safe-path.js';
import { titleMatcher, type TitleMatcher } from './title-patterns.js';

/** A Cablecast show whose VOD is ready and has no captions yet: to be fetched and captioned. */
export interface CablecastRecording {
  site: string;
  showId: number;
  vodId: number;
  title: string;
  date?: string;
  url: string;
  /**
   * Where the VOD is downloaded: `<paths.work>/vods/<vodId>/<showId>-<slug of title>.mp4`, or
   * the source file's name when the VOD names one, so every caption file and rendition made
   * from it is named after the show (never `vod.mp4`).
   */
  path: string;
}

/**
 * Why a show changed since the lookback is not fetched. `unknown` (a record the answer did not
 * carry or that cannot be read, a playlist that cannot be read) and `not-ready` are looked at
 * again on the next run, while the show is within the lookback.
 */
export type VodSkipKind = 'known' | 'outside-patterns' | 'captioned' | 'captioned-elsewhere' | 'not-ready' | 'unknown';

export interface VodSkip {
  showId: number;
  title: string | null;
  kind: VodSkipKind;
  reason: string;
}

export interface CablecastScan {
  site: string;
  recordings: CablecastRecording[];
  skipped: VodSkip[];
  error?: string;
}

export interface CablecastScanOptions {
  since: Date;
  workDir: string;
  /** A show already known (as a Flex file on a share, or fetched before) is left to that item. */
  known: (showId: number) => boolean;
  /** cablecast.captionServiceShows: caption shows that Cablecast or a provider captions, or skip them. */
  captionServiceShows: 'skip' | 'caption';
  log: Logger;
}

type Verdict = { recording: CablecastRecording } | { skip: VodSkip };

/**
 * The shows of the site's location changed since the lookback that are ready, belong to the
 * site and have no captions. The search asks only for `lastModified` (the one filter every
 * server is known to take); the location, the site's title patterns, readiness and captions are
 * checked here, show by show. Anything odd about one show costs that show only: it is skipped
 * with its reason while the scan goes on. Only what affects every show alike (credentials
 * refused, Cablecast not answering) stops the scan.
 */
export async function scanCablecast(
  client: CablecastClient,
  site: Site & { location: number },
  options: CablecastScanOptions,
): Promise<CablecastScan> {
  const result: CablecastScan = { site: site.key, recordings: [], skipped: [] };
  const belongs = titleMatcher(site.patterns, `sites.${site.key}.patterns`);
  try {
    for await (const item of client.showsChangedSince(options.since.toISOString())) {
      const verdict = isUnreadableShow(item) ? unreadable(item, site) : await judgeShow(client, item, site, belongs, options);
      if (verdict === null) continue;
      if ('skip' in verdict) result.skipped.push(verdict.skip);
      else result.recordings.push(verdict.recording);
    }
  } catch (error) {
    // Wrong credentials (exit 2) or an unreachable server (exit 3) affect every site alike: the
    // caller leaves Cablecast alone for the rest of the run, rather than report each site as empty.
    if (isRunWide(error)) throw error;
    result.error = `Cablecast discovery for site ${site.key} (location ${site.location}) failed: ${errorMessage(error)}`;
    options.log.error({ site: site.key, err: error }, result.error);
  }
  for (const skip of result.skipped) {
    // The command's summary names each of these once; the log keeps the detail for debugging.
    if (skip.kind === 'unknown') options.log.debug({ site: site.key, showId: skip.showId }, `show skipped for now: ${skip.reason}`);
  }
  return result;
}

function isRunWide(error: unknown): boolean {
  return error instanceof ArchivistError && (error.kind === 'usage' || error.kind === 'unavailable');
}

/** A show whose record cannot be read: reported where it may belong (its location, when that much is readable). */
function unreadable(item: UnreadableShow, site: Site & { location: number }): Verdict | null {
  if (item.location !== null && item.location !== site.location) return null;
  return skip(item.id, null, 'unknown', `Cablecast's record of show ${item.id} cannot be read (${item.problem})`);
}

async function judgeShow(
  client: CablecastClient,
  detail: ShowDetail,
  site: Site & { location: number },
  belongs: TitleMatcher,
  options: CablecastScanOptions,
): Promise<Verdict | null> {
  const { show } = detail;
  if (show.location !== site.location) return null;
  if (options.known(show.id)) return skip(show.id, show.title, 'known', 'already known (a file on a share, or fetched before)');
  if (!belongs(show.title) && !(typeof show.cgTitle === 'string' && belongs(show.cgTitle))) {
    return skip(show.id, show.title, 'outside-patterns', `the title matches none of site ${site.key}'s patterns`);
  }
  try {
    return await judgeVods(client, detail, site.key, options);
  } catch (error) {
    if (isRunWide(error)) throw error;
    return skip(show.id, show.title, 'unknown', errorMessage(error));
  }
}

async function judgeVods(client: CablecastClient, detail: ShowDetail, siteKey: string, options: CablecastScanOptions): Promise<Verdict> {
  const { show } = detail;
  const unknownVods = detail.unknown.vods;
  if (unknownVods.length > 0) {
    const why = detail.problems.length > 0 ? detail.problems.join('; ') : "Cablecast's answer did not carry them";
    return skip(show.id, show.title, 'unknown', `the VOD records of show ${show.id} (${unknownVods.join(', ')}) are unknown: ${why}`);
  }
  if (detail.vods.length === 0) return skip(show.id, show.title, 'not-ready', `show ${show.id} has no VOD`);
  const readiness = detail.vods.map((vod) => ({ vod, readiness: vodReadiness(vod) }));
  const ready = readiness.find((r) => r.readiness.state === 'ready')?.vod;
  if (ready === undefined) {
    const unknown = readiness.find((r) => r.readiness.state === 'unknown');
    const first = readiness.find((r) => r.readiness.state === 'processing') ?? unknown;
    const reason = first !== undefined && 'reason' in first.readiness ? first.readiness.reason : `show ${show.id} has no ready VOD`;
    return skip(show.id, show.title, unknown === undefined ? 'not-ready' : 'unknown', reason);
  }
  if (typeof ready.url !== 'string' || ready.url === '') {
    return skip(show.id, show.title, 'unknown', `VOD ${ready.id} is ready but names no URL to fetch it from`);
  }
  const captions = await client.checkCaptions(show, ready, { ignoreCaptionService: options.captionServiceShows === 'caption' });
  if (captions.state === 'captioned') return skip(show.id, show.title, 'captioned', captions.reason);
  if (captions.state === 'captioned-elsewhere') {
    return skip(
      show.id,
      show.title,
      'captioned-elsewhere',
      `${captions.reason}; cablecast.captionServiceShows "caption" captions it anyway`,
    );
  }
  if (captions.state === 'unknown') return skip(show.id, show.title, 'unknown', captions.reason);
  return { recording: await recordingOf(siteKey, show, ready, ready.url, options.workDir) };
}

async function recordingOf(site: string, show: Show, vod: Vod, url: string, workDir: string): Promise<CablecastRecording> {
  const date = typeof show.eventDate === 'string' ? show.eventDate.slice(0, 10) : undefined;
  return {
    site,
    showId: show.id,
    vodId: vod.id,
    title: show.title,
    ...(date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { date } : {}),
    url,
    path: await confinedPath(workDir, join('vods', String(vod.id), vodFileName(show, vod))),
  };
}

/**
 * The name a fetched VOD is saved under, which every caption file and rendition made from it
 * takes: the source file's name when the VOD names one (older servers), else the show's id and
 * title (`17052-Lake-Elmo-City-Council.mp4`), never `vod.mp4`. Always `.mp4`: that is what a VOD is.
 */
export function vodFileName(show: Pick<Show, 'id' | 'title'>, vod: Pick<Vod, 'fileName'>): string {
  const source = typeof vod.fileName === 'string' ? vod.fileName.trim() : '';
  const stem = source === '' ? `${show.id}-${titleSlug(show.title)}` : source.slice(0, source.length - extname(source).length) || source;
  return safeBaseName(`${stem}.mp4`, { fallback: `${show.id}.mp4` });
}

/** `Lake Elmo City Council 11/24/26` -> `Lake-Elmo-City-Council-11-24-26`; letters of any script kept. */
export function titleSlug(title: string): string {
  const slug = title
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  // At most 80 code points (a regular expression with the u flag never splits one).
  return (/^.{0,80}/su.exec(slug)?.[0] ?? '').replace(/-+$/, '') || 'show';
}

function skip(showId: number, title: string | null, kind: VodSkipKind, reason: string): Verdict {
  return { skip: { showId, title, kind, reason } };
}
