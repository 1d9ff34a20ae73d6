import type { Logger } from 'pino';
import type { CablecastClient } from '../cablecast/client.js';
import type { Config, Site } from '../config/schema.js';
import type { Db } from '../db/schema.js';
import { ArchivistError } from '../errors.js';
import type { QueuePolicy } from '../jobs/types.js';
import { scanCablecast, type CablecastScan } from '../sources/cablecast-source.js';
import { scanShare, type ScanResult } from '../sources/scan-share.js';
import { registerMedia, type NewRecording } from './register-media.js';

export type CandidateStatus = 'new' | 'changed' | 'known';

export interface Candidate {
  recording: NewRecording;
  status: CandidateStatus;
}

export interface Discovery {
  shares: ScanResult[];
  cablecast: CablecastScan[];
  /** Every recording found, newest first; `limit` has been applied to the new and changed ones. */
  candidates: Candidate[];
  /** New or changed recordings left for a later run by --limit. */
  deferred: number;
  /**
   * Cablecast refused the credentials or did not answer: VOD discovery stopped there (every
   * site would meet the same), while the shares were searched as usual.
   */
  cablecastFailure: ArchivistError | null;
}

export interface DiscoverOptions {
  db: Db;
  config: Config;
  sites: readonly Site[];
  since: Date;
  limit?: number | undefined;
  log: Logger;
  cablecast: CablecastClient | null;
}

async function statusOf(db: Db, recording: NewRecording): Promise<CandidateStatus> {
  const known = await db
    .selectFrom('media')
    .select(['size', 'mtime', 'state'])
    .where('site', '=', recording.site)
    .where('path', '=', recording.path)
    .executeTakeFirst();
  if (!known) return 'new';
  if (recording.source === 'cablecast') return 'known';
  const same = known.size === recording.size && known.mtime?.getTime() === recording.mtime?.getTime() && known.state === 'active';
  return same ? 'known' : 'changed';
}

/**
 * Looks at every selected site's share (and, where the site names a Cablecast location, at
 * Cablecast) and says what is new. Changes nothing: `enqueueDiscovered` does that, so
 * `--dry-run` and the real run see the same plan.
 */
export async function discover(options: DiscoverOptions): Promise<Discovery> {
  const { db, config } = options;
  const shares: ScanResult[] = [];
  const recordings: NewRecording[] = [];
  for (const site of options.sites) {
    const scan = await scanShare(site, {
      extensions: config.discovery.extensions,
      settleSeconds: config.discovery.settleSeconds,
      since: options.since,
      recheckMs: config.discovery.recheckSeconds * 1000,
    });
    if (scan.error) options.log.error({ site: site.key, share: site.share }, scan.error);
    shares.push(scan);
    for (const found of scan.recordings) recordings.push({ ...found, source: 'share' });
  }

  const cablecast: CablecastScan[] = [];
  let cablecastFailure: ArchivistError | null = null;
  if (options.cablecast) {
    const showIdsOnShares = new Set(recordings.flatMap((r) => (r.showId === undefined ? [] : [r.showId])));
    const knownRows = await db.selectFrom('media').select(['file_show_id', 'cablecast_show_id']).execute();
    const knownShows = new Set(knownRows.flatMap((r) => [r.file_show_id, r.cablecast_show_id]).filter((id): id is number => id !== null));
    for (const site of options.sites) {
      if (site.location === undefined) continue;
      let scan: CablecastScan;
      try {
        scan = await scanCablecast(
          options.cablecast,
          { ...site, location: site.location },
          {
            since: options.since,
            workDir: config.paths.work,
            known: (showId) => showIdsOnShares.has(showId) || knownShows.has(showId),
            captionServiceShows: config.cablecast?.captionServiceShows ?? 'skip',
            log: options.log,
          },
        );
      } catch (error) {
        if (!(error instanceof ArchivistError && error.dependency === 'cablecast')) throw error;
        // Asking again for the next site would cost the same timeouts for the same answer.
        cablecastFailure = error;
        break;
      }
      cablecast.push(scan);
      for (const found of scan.recordings) {
        recordings.push({
          site: found.site,
          path: found.path,
          source: 'cablecast',
          size: null,
          mtime: null,
          title: found.title,
          ...(found.date === undefined ? {} : { date: found.date }),
          cablecastShowId: found.showId,
          vodUrl: found.url,
        });
      }
    }
  }

  recordings.sort((a, b) => (b.mtime?.getTime() ?? Number.MAX_SAFE_INTEGER) - (a.mtime?.getTime() ?? Number.MAX_SAFE_INTEGER));
  const candidates: Candidate[] = [];
  let taken = 0;
  let deferred = 0;
  for (const recording of recordings) {
    const status = await statusOf(db, recording);
    if (status !== 'known') {
      if (options.limit !== undefined && taken >= options.limit) {
        deferred += 1;
        continue;
      }
      taken += 1;
    }
    candidates.push({ recording, status });
  }
  return { shares, cablecast, candidates, deferred, cablecastFailure };
}

/** Records the new and changed recordings as media and queues their first steps. */
export async function enqueueDiscovered(db: Db, discovery: Discovery, policy: Pick<QueuePolicy, 'maxAttempts'>): Promise<number[]> {
  const ids: number[] = [];
  for (const candidate of discovery.candidates) {
    if (candidate.status === 'known') continue;
    const { media } = await registerMedia(db, candidate.recording, policy);
    ids.push(media.id);
  }
  return ids;
}
