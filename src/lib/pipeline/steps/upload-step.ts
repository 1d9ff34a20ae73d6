import type { StepHandler } from '../../jobs/drain.js';
import { recordJobProgress } from '../../jobs/record-job-progress.js';
import { uploadFile } from '../../upload/chunked-upload.js';
import { chooseStore } from '../../upload/choose-store.js';
import { MIB } from '../../upload/segments.js';
import { chooseUploadSource } from '../../upload/upload-source.js';
import { parseUploadState, type UploadWhat } from '../../upload/upload-state.js';
import type { StepDeps } from '../deps.js';
import { activeMedia } from '../get-media.js';
import { singleJobStep } from './define-step.js';

export interface UploadChoices {
  /** Default: config upload.what. */
  what?: UploadWhat | undefined;
  /** Cablecast file store id; default: upload.store, else the store of the show's video. */
  store?: number | undefined;
}

/**
 * Uploads the media's SCC sidecar (or its captioned rendition) through Cablecast's chunked
 * upload API, for sites whose content share is not mounted here. Progress lives in the
 * job's output, so a rerun after a crash continues the same upload.
 */
export function uploadStep(deps: StepDeps<'upload' | 'cablecast'>, choices: UploadChoices = {}): StepHandler {
  return singleJobStep('upload', deps.config, async (job, ctx) => {
    const media = await activeMedia(ctx.db, job.media_id);
    const client = await deps.cablecast();
    const settings = deps.config.upload;
    const what = choices.what ?? settings.what;
    const source = await chooseUploadSource(ctx.db, media, what);
    if ('skip' in source) {
      ctx.log.warn({ mediaId: media.id, reason: source.skip }, 'not uploading');
      return { status: 'succeeded', output: { what, skipped: source.skip } };
    }
    const { store, note } = await chooseStore(ctx.db, client, media, {
      explicit: choices.store,
      configured: settings.store,
      fallback: deps.config.cablecast?.fileStore,
    });
    if (note !== undefined) ctx.log.warn({ mediaId: media.id, store }, note);
    const previous = parseUploadState(job.output);
    const state = await uploadFile({
      client,
      source: source.upload,
      store,
      segmentBytes: Math.round(settings.segmentMiB * MIB),
      previous,
      save: async (progress) => {
        if (!(await recordJobProgress(ctx.db, job.id, ctx.workerId, progress))) {
          throw new Error(`lost the lease on upload job ${job.id} (cancelled, or taken over after a stall)`);
        }
      },
      log: ctx.log,
      signal: ctx.signal,
      finishTimeoutMs: settings.finishTimeoutMinutes * 60_000,
    });
    // Said apart so a repeated `upload` reports the earlier upload instead of claiming a new one.
    const sentBefore = previous?.finished === true && previous.uploadId === state.uploadId;
    return { status: 'succeeded', output: sentBefore ? { ...state, alreadyUploaded: true } : state };
  });
}
