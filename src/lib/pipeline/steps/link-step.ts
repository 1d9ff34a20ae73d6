import { cablecastFromConfig } from '../../cablecast/index.js';
import { UnavailableError, errorMessage } from '../../errors.js';
import { isPermanent, stopsTheRun, type JobOutcome, type StepHandler } from '../../jobs/drain.js';
import { linkMedia } from '../../linking/link-media.js';
import { ShowCatalog } from '../../linking/show-catalog.js';
import { ShowFieldIds } from '../../linking/writeback.js';
import type { PipelineDeps } from '../deps.js';
import { activeMedia } from '../get-media.js';

/** Links transcripts to Cablecast shows (last step of the chain); see src/lib/linking. */
export function linkStep(deps: PipelineDeps): StepHandler {
  // Shows and field ids are listed once per run, shared by every job of the run.
  const catalog = new ShowCatalog();
  const fieldIds = new ShowFieldIds();
  return {
    kind: 'link',
    async run(jobs, ctx) {
      const client = cablecastFromConfig(deps.config, ctx.log, ctx.signal);
      if (client === null) throw new UnavailableError('link jobs need Cablecast: set cablecast.url in the configuration');
      const env = { client, catalog, fieldIds, settings: deps.config.linking, sites: deps.config.sites, now: () => new Date() };
      const outcomes = new Map<number, JobOutcome>();
      try {
        for (const job of jobs) {
          try {
            const media = await activeMedia(ctx.db, job.media_id);
            outcomes.set(job.id, { ok: true, output: await linkMedia(ctx.db, media, env), next: [] });
          } catch (error) {
            if (stopsTheRun(error)) throw error;
            outcomes.set(job.id, { ok: false, error: errorMessage(error), permanent: isPermanent(error) });
          }
        }
      } finally {
        await client.close();
      }
      return outcomes;
    },
  };
}
