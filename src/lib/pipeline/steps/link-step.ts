import type { StepHandler } from '../../jobs/drain.js';
import { linkMedia } from '../../linking/link-media.js';
import { ShowCatalog } from '../../linking/show-catalog.js';
import type { StepDeps } from '../deps.js';
import { activeMedia } from '../get-media.js';
import { singleJobStep } from './define-step.js';

/** Links transcripts to Cablecast shows (last step of the chain); see src/lib/linking. */
export function linkStep(deps: StepDeps<'linking' | 'sites' | 'pipeline'>): StepHandler {
  // Shows are listed once per run, shared by every job of the run.
  const catalog = new ShowCatalog();
  return singleJobStep('link', deps.config, async (job, ctx) => {
    const client = await deps.cablecast();
    const env = {
      client,
      catalog,
      settings: deps.config.linking,
      sites: deps.config.sites,
      uploadEnabled: deps.config.pipeline.upload,
      now: deps.now,
    };
    const media = await activeMedia(ctx.db, job.media_id);
    return { status: 'succeeded', output: await linkMedia(ctx.db, media, env) };
  });
}
