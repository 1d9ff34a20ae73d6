import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import type { CablecastClient } from '../cablecast/client.js';
import { vodReadiness } from '../cablecast/vod-readiness.js';
import type { Site } from '../config/schema.js';
import { UnavailableError, UsageError, errorMessage } from '../errors.js';
import { safeBaseName } from '../fs/safe-path.js';

/** A Cablecast show whose VOD is ready and has no captions yet: to be fetched and captioned. */
export interface CablecastRecording {
  site: string;
  showId: number;
  vodId: number;
  title: string;
  date?: string;
  url: string;
  /**
   * Where the VOD is downloaded: named as on Cablecast (made safe: a name from the server never
   * leads out of its folder), so caption files share its base name.
   */
  path: string;
}

export interface CablecastScan {
  site: string;
  recordings: CablecastRecording[];
  skipped: { showId: number; reason: string }[];
  error?: string;
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
    for await (const detail of client.showsChangedSince(options.since.toISOString())) {
      const show = detail.show;
      // The search cannot filter by location on every server (a filter other than lastModified may get a 400).
      if (show.location !== site.location) continue;
      if (options.known(show.id)) {
        result.skipped.push({ showId: show.id, reason: 'already known' });
        continue;
      }
      const ready = detail.vods.find((vod) => vod.url && vodReadiness(vod).state === 'ready');
      if (!ready?.url) {
        result.skipped.push({ showId: show.id, reason: detail.unknown.vods.length > 0 ? 'VOD state unknown' : 'no ready VOD' });
        continue;
      }
      const captions = await client.checkCaptions(show, ready);
      if (captions.state !== 'uncaptioned') {
        result.skipped.push({ showId: show.id, reason: captions.state === 'unknown' ? captions.reason : 'VOD already has captions' });
        continue;
      }
      // Live VODs carry no fileName; naming outputs after the show comes with the discovery rework.
      const fileName = ready.fileName ?? basename(new URL(ready.url).pathname);
      const date = typeof show.eventDate === 'string' ? show.eventDate.slice(0, 10) : undefined;
      result.recordings.push({
        site: site.key,
        showId: show.id,
        vodId: ready.id,
        title: show.title,
        ...(date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { date } : {}),
        url: ready.url,
        path: join(options.workDir, 'vods', String(ready.id), safeBaseName(fileName)),
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
