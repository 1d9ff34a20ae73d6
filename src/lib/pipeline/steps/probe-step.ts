import { sql } from 'kysely';
import type { StepHandler } from '../../jobs/drain.js';
import { probeMedia } from '../../media/probe.js';
import type { StepDeps } from '../deps.js';
import { activeMedia } from '../get-media.js';
import { singleJobStep } from './define-step.js';

/** ffprobe facts onto the media row; no audio or no duration fails for good (MediaProblem). */
export function probeStep(deps: StepDeps): StepHandler {
  return singleJobStep('probe', deps.config, async (job, ctx) => {
    const media = await activeMedia(ctx.db, job.media_id);
    const facts = await probeMedia(media.path, { signal: ctx.signal });
    await ctx.db
      .updateTable('media')
      .set({ duration_sec: facts.durationSec, probe: JSON.stringify(facts), updated_at: sql`now()` })
      .where('id', '=', media.id)
      .execute();
    return {
      status: 'succeeded',
      output: { durationSec: facts.durationSec, audioStreams: facts.audioStreams.length, video: facts.video ?? null },
    };
  });
}
