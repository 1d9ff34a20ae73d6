import { join } from 'node:path';
import { PermanentError } from '../../errors.js';
import type { StepHandler } from '../../jobs/drain.js';
import { makeRendition } from '../../renditions/make-rendition.js';
import type { RenditionMode } from '../../renditions/modes.js';
import type { StepDeps } from '../deps.js';
import { captionsForMedia } from '../caption-build.js';
import { findEdit } from '../../edits/caption-edits.js';
import { activeMedia } from '../get-media.js';
import { fingerprint, loadTranscript } from '../transcripts.js';
import { singleJobStep } from './define-step.js';

export interface RetranscodeChoices {
  /** Default: config retranscode.mode. */
  mode?: RenditionMode | undefined;
  /** Default: paths.output/<site>, beside the caption files. */
  outDir?: string | undefined;
}

/**
 * Makes a captioned rendition from the media's stored transcript: the same captions the
 * captions step wrote as SCC (same filter, segmenter and settings), so sidecar and rendition agree;
 * captions a person edited and imported, when there are any.
 */
export function retranscodeStep(deps: StepDeps<'captions' | 'retranscode' | 'paths'>, choices: RetranscodeChoices = {}): StepHandler {
  return singleJobStep('retranscode', deps.config, async (job, ctx) => {
    const media = await activeMedia(ctx.db, job.media_id);
    const stored = await loadTranscript(ctx.db, media.id);
    if (!stored) throw new PermanentError(`media ${media.id} (${media.path}) has no transcript yet; run transcribe first`);
    if (stored.fingerprint !== null && stored.fingerprint !== fingerprint(media)) {
      // The chain runs again for a changed file and queues this step after its new captions.
      throw new PermanentError(`${media.path} changed since it was transcribed; transcribe it again first`);
    }
    const edit = await findEdit(ctx.db, media.id);
    const { captions, noSpeech } = edit
      ? { captions: edit.captions, noSpeech: false }
      : captionsForMedia(stored, media, deps.config.captions);
    if (noSpeech) {
      ctx.log.warn({ mediaId: media.id, path: media.path }, 'no speech to caption: no rendition made');
      return { status: 'succeeded', endsChain: true, output: { rendition: null, noSpeech: true } };
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
    return { status: 'succeeded', output: { rendition } };
  });
}
