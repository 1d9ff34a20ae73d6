import { formatCaptions } from '../../captions/files.js';
import { PermanentError } from '../../errors.js';
import type { StepHandler } from '../../jobs/drain.js';
import { findEdit } from '../../edits/caption-edits.js';
import { captionTargets, placeCaptionFiles } from '../caption-targets.js';
import type { StepDeps } from '../deps.js';
import { captionsForMedia, uncarriedWarning } from '../caption-build.js';
import { savePassages } from '../../search/passages.js';
import { activeMedia } from '../get-media.js';
import { loadTranscript, saveCaptionReport } from '../transcripts.js';
import { singleJobStep } from './define-step.js';

/**
 * Writes the captions. For a recording on a share: `<basename>.scc` beside the video (what
 * Cablecast plays) plus the configured formats into paths.output. For a file given on the
 * command line: every format into --out, or beside the file. A file someone else made is
 * never replaced; that is reported, not failed, since the recording has captions. The
 * captions report (no speech, dropped segments, quality figures) is kept with the
 * transcript, and the captioned words become its searchable passages; a recording with no speech gets no
 * files and its chain ends here. Captions a person edited and imported are kept: nothing is
 * written for that recording until its edit is discarded (--discard-edits).
 */
export function captionsStep(deps: StepDeps<'captions' | 'paths' | 'sites'>): StepHandler {
  return singleJobStep('captions', deps.config, async (job, ctx) => {
    const media = await activeMedia(ctx.db, job.media_id);
    const edit = await findEdit(ctx.db, media.id);
    if (edit) {
      ctx.log.info({ mediaId: media.id, from: edit.source }, 'kept the captions edited by hand');
      return { status: 'succeeded', output: { humanEdited: true, from: edit.source } };
    }
    const stored = await loadTranscript(ctx.db, media.id);
    if (!stored) throw new PermanentError(`media ${media.id} has no transcript yet; run transcribe first`);
    const built = captionsForMedia(stored, media, deps.config.captions);
    await saveCaptionReport(ctx.db, stored.id, { noSpeech: built.noSpeech, dropped: built.dropped, quality: built.quality });
    await savePassages(ctx.db, stored.id, media.id, built.words);
    if (built.dropped.length > 0) {
      ctx.log.info(
        { mediaId: media.id, dropped: built.quality.droppedSegments },
        `dropped ${built.dropped.length} hallucinated segment(s)`,
      );
    }
    if (built.noSpeech || !built.scc) {
      ctx.log.warn({ mediaId: media.id, path: media.path }, 'no speech to caption: no caption files written');
      return { status: 'succeeded', endsChain: true, output: { noSpeech: true, captions: 0, files: [], quality: built.quality } };
    }
    const scc = built.scc;
    const warning = uncarriedWarning(built);
    if (warning) ctx.log.warn({ mediaId: media.id, path: media.path, uncarried: scc.uncarried, notes: scc.notes }, warning);

    const results = await placeCaptionFiles(ctx.db, media, captionTargets(deps.config, media, deps.captionsOutDir), (format) =>
      format === 'scc' ? scc.text : formatCaptions(built.captions, format),
    );
    for (const r of results) if (!r.written) ctx.log.warn({ path: r.path, reason: r.reason }, 'left a caption file alone');
    return {
      status: 'succeeded',
      output: {
        captions: built.captions.length,
        files: results.map((r) =>
          r.written ? { format: r.format, path: r.path } : { format: r.format, path: r.path, leftAlone: r.reason },
        ),
        quality: built.quality,
        ...(warning ? { warnings: [warning] } : {}),
      },
    };
  });
}
