import { join, relative } from 'node:path';
import { sql } from 'kysely';
import type { Media } from '../../db/schema.js';
import { PermanentError, UsageError, errnoCode } from '../../errors.js';
import { downloadFile } from '../../fetch/download.js';
import { sha256File } from '../../fs/file-sha256.js';
import type { StepHandler } from '../../jobs/drain.js';
import type { StepDeps } from '../deps.js';
import { activeMedia } from '../get-media.js';
import { singleJobStep } from './define-step.js';

/**
 * Whether the file at the media's path is the one an earlier fetch of this media put there:
 * its hash is the one that fetch recorded. Only then may a new download replace it.
 */
async function holdsOurDownload(media: Media): Promise<boolean> {
  if (media.sha256 === null) return false;
  try {
    return (await sha256File(media.path)) === media.sha256;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Downloads a Cablecast VOD to the media's path (resuming a partial download), so the rest of
 * the pipeline works on a local file as it does for recordings on a share. The path stays
 * inside `paths.work/vods`, and the credentials go only where the Cablecast settings allow.
 */
export function fetchStep(deps: StepDeps<'cablecast' | 'paths'>): StepHandler {
  return singleJobStep('fetch', deps.config, async (job, ctx) => {
    const media = await activeMedia(ctx.db, job.media_id);
    if (!media.vod_url) throw new PermanentError(`media ${media.id} has no VOD address to fetch`);
    const cablecast = deps.config.cablecast;
    if (!cablecast) {
      throw new UsageError('fetching a VOD needs Cablecast', ['set cablecast.url in the configuration (or CABLECAST_URL)'], {
        dependency: 'cablecast',
      });
    }
    const root = join(deps.config.paths.work, 'vods');
    const result = await downloadFile({
      url: media.vod_url,
      dest: { root, name: relative(root, media.path) },
      replaceOurs: await holdsOurDownload(media),
      auth:
        cablecast.username && cablecast.password
          ? { username: cablecast.username, password: cablecast.password, origin: cablecast.url, mediaHosts: cablecast.mediaHosts }
          : undefined,
      verifyTls: cablecast.verifyTls,
      caFile: cablecast.caFile,
      signal: ctx.signal,
      log: ctx.log,
      timeoutMs: cablecast.timeoutSeconds * 1000,
      settingPrefix: 'cablecast',
    });
    await ctx.db
      .updateTable('media')
      .set({ size: result.size, sha256: result.sha256, mtime: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', media.id)
      .execute();
    return { status: 'succeeded', output: { size: result.size, sha256: result.sha256, resumedFrom: result.resumedFrom } };
  });
}
