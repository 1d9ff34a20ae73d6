import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import { PermanentError, UsageError } from '../../errors.js';
import { downloadFile } from '../../fetch/download.js';
import type { StepHandler } from '../../jobs/drain.js';
import type { StepDeps } from '../deps.js';
import { activeMedia } from '../get-media.js';
import { singleJobStep } from './define-step.js';

/**
 * Downloads a Cablecast VOD to the media's path (resuming a partial download), so the rest of
 * the pipeline works on a local file as it does for recordings on a share.
 */
export function fetchStep(deps: StepDeps<'cablecast'>): StepHandler {
  return singleJobStep('fetch', deps.config, async (job, ctx) => {
    const media = await activeMedia(ctx.db, job.media_id);
    if (!media.vod_url) throw new PermanentError(`media ${media.id} has no VOD address to fetch`);
    const cablecast = deps.config.cablecast;
    if (!cablecast) {
      throw new UsageError('fetching a VOD needs Cablecast', ['set cablecast.url in the configuration (or CABLECAST_URL)'], {
        dependency: 'cablecast',
      });
    }
    await mkdir(dirname(media.path), { recursive: true });
    const result = await downloadFile({
      url: media.vod_url,
      dest: media.path,
      auth: cablecast.username && cablecast.password ? { username: cablecast.username, password: cablecast.password } : undefined,
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
