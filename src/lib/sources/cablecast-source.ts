import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CablecastClient } from '../cablecast/client.js';
import type { Vod } from '../cablecast/schemas.js';
import type { Site } from '../config/schema.js';
import { UnavailableError, UsageError, errorMessage } from '../errors.js';

/** A Cablecast show whose VOD is ready and has no captions yet: to be fetched and captioned. */
export interface CablecastRecording {
  site: string;
  showId: number;
  vodId: number;
  title: string;
  date?: string | undefined;
  url: string;
  /** Where the VOD is downloaded: named as on Cablecast, so caption files share its base name. */
  path: string;
}

export interface CablecastScan {
  site: string;
  recordings: CablecastRecording[];
  skipped: { showId: number; reason: string }[];
  error?: string;
}

function isReady(client: CablecastClient, vod: Vod, log: Logger): boolean {
  try {
    return client.isVodReady(vod);
  } catch (error) {
    log.warn({ vodId: vod.id, err: error }, 'cannot tell whether this VOD is ready; leaving it for a later run');
    return false;
  }
}

/**
 * Shows of the site's location changed since the lookback. A show already known (as a
 * Flex file on a share, or fetched before) is left to that item; `known` says which are.
 */
export async function scanCablecast(
  client: CablecastClient,
  site: Site & { location: number },
  options: { since: Date; workDir: string; known: (showId: number) => boolean; log: Logger },
): Promise<CablecastScan> {
  const result: CablecastScan = { site: site.key, recordings: [], skipped: [] };
  try {
    for await (const detail of client.showsChangedSince(options.since.toISOString(), { location: site.location })) {
      const show = detail.show;
      if (options.known(show.id)) {
        result.skipped.push({ showId: show.id, reason: 'already known' });
        continue;
      }
      const ready = detail.vods.find((vod) => vod.url && vod.fileName && isReady(client, vod, options.log));
      if (!ready?.url || !ready.fileName) {
        result.skipped.push({ showId: show.id, reason: 'no ready VOD' });
        continue;
      }
      if (await client.vodHasCaptions(ready.url)) {
        result.skipped.push({ showId: show.id, reason: 'VOD already has captions' });
        continue;
      }
      const date = typeof show.eventDate === 'string' ? show.eventDate.slice(0, 10) : undefined;
      result.recordings.push({
        site: site.key,
        showId: show.id,
        vodId: ready.id,
        title: show.title,
        date: date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : undefined,
        url: ready.url,
        path: join(options.workDir, 'vods', String(ready.id), ready.fileName),
      });
    }
  } catch (error) {
    // Wrong credentials (exit 2) or an unreachable server (exit 3) affect every site alike:
    // stop the run with that reason rather than report each site as empty.
    if (error instanceof UsageError || error instanceof UnavailableError) throw error;
    result.error = `Cablecast discovery for site ${site.key} (location ${site.location}) failed: ${errorMessage(error)}`;
    options.log.error({ site: site.key, err: error }, result.error);
  }
  return result;
}
