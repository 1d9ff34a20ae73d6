import { join } from 'node:path';
import { captionsFromTranscript } from '../../captions/files.js';
import { PermanentJobError, singleJobStep, type StepHandler } from '../../jobs/drain.js';
import { makeRendition } from '../../renditions/make-rendition.js';
import type { RenditionMode } from '../../renditions/modes.js';
import type { PipelineDeps } from '../deps.js';
import { activeMedia } from '../get-media.js';
import { stepsAfter } from '../next-steps.js';
import { fingerprint, loadTranscript } from '../transcripts.js';

export interface RetranscodeChoices {
  /** Default: config retranscode.mode. */
  mode?: RenditionMode;
  /** Default: paths.output/<site>, beside the caption files. */
  outDir?: string;
}

/**
 * Makes a captioned rendition from the media's stored transcript: the same captions the
 * captions step wrote as SCC (same segmenter, same settings), so sidecar and rendition agree.
 */
export function retranscodeStep(deps: PipelineDeps, choices: RetranscodeChoices = {}): StepHandler {
  return singleJobStep('retranscode', async (job, ctx) => {
    const media = await activeMedia(ctx.db, job.media_id);
    const stored = await loadTranscript(ctx.db, media.id);
    if (!stored) throw new PermanentJobError(`media ${media.id} (${media.path}) has no transcript yet; run transcribe first`);
    if (stored.fingerprint !== null && stored.fingerprint !== fingerprint(media)) {
      // The chain runs again for a changed file and queues this step after its new captions.
      throw new PermanentJobError(`${media.path} changed since it was transcribed; transcribe it again first`);
    }
    const next = stepsAfter('retranscode', deps.config);
    const captions = captionsFromTranscript(stored.transcript, { maxRows: deps.config.captions.maxRows });
    if (captions.length === 0) {
      ctx.log.warn({ mediaId: media.id, path: media.path }, 'no speech was recognised; no rendition made');
      return { ok: true, output: { rendition: null, reason: 'no speech was recognised' }, next };
    }
    const settings = deps.config.retranscode;
    const rendition = await makeRendition({
      db: ctx.db,
      mediaId: media.id,
      mediaPath: media.path,
      captions,
      mode: choices.mode ?? settings.mode,
      outDir: choices.outDir ?? join(deps.config.paths.output, media.site),
      workRoot: deps.config.paths.work,
      crf: settings.crf,
      preset: settings.preset,
      log: ctx.log,
      signal: ctx.signal,
    });
    return { ok: true, output: { rendition }, next };
  });
}
