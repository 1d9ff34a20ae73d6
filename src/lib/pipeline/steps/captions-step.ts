import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative } from 'node:path';
import { formatCaptions, type CaptionFormat } from '../../captions/files.js';
import type { Media } from '../../db/schema.js';
import { PermanentError } from '../../errors.js';
import type { StepHandler } from '../../jobs/drain.js';
import { writeOwnedFile, type OwnedWrite } from '../artifacts.js';
import type { StepDeps } from '../deps.js';
import { captionsForMedia, uncarriedWarning } from '../caption-build.js';
import { savePassages } from '../../search/passages.js';
import { activeMedia } from '../get-media.js';
import { loadTranscript, saveCaptionReport } from '../transcripts.js';
import { singleJobStep } from './define-step.js';

/**
 * The recording's folder below its share, so two recordings of one name in different folders
 * get different caption files in paths.output.
 */
function outputSubdir(deps: StepDeps<'sites'>, media: Media): string {
  const share = deps.config.sites.find((site) => site.key === media.site)?.share;
  if (media.source !== 'share' || !share) return '';
  const folder = relative(share, dirname(media.path));
  return folder.startsWith('..') || isAbsolute(folder) ? '' : folder;
}

/**
 * Writes the captions. For a recording on a share: `<basename>.scc` beside the video (what
 * Cablecast plays) plus the configured formats into paths.output. For a file given on the
 * command line: every format into --out, or beside the file. A file someone else made is
 * never replaced; that is reported, not failed, since the recording has captions. The
 * captions report (no speech, dropped segments, quality figures) is kept with the
 * transcript, and the captioned words become its searchable passages; a recording with no speech gets no files and its chain ends here.
 */
export function captionsStep(deps: StepDeps<'captions' | 'paths' | 'sites'>): StepHandler {
  return singleJobStep('captions', deps.config, async (job, ctx) => {
    const media = await activeMedia(ctx.db, job.media_id);
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

    const stem = basename(media.path, extname(media.path));
    const targets: { format: CaptionFormat; path: string; sidecar: boolean }[] = [];
    if (media.source === 'file') {
      const dir = deps.captionsOutDir ?? dirname(media.path);
      for (const format of new Set<CaptionFormat>(['scc', ...deps.config.captions.formats])) {
        targets.push({ format, path: join(dir, `${stem}.${format}`), sidecar: format === 'scc' && dir === dirname(media.path) });
      }
    } else {
      if (media.source === 'share') targets.push({ format: 'scc', path: join(dirname(media.path), `${stem}.scc`), sidecar: true });
      // A fetched VOD has no share to hold its sidecar: the .scc in paths.output is what upload sends.
      const formats = new Set<CaptionFormat>(
        media.source === 'share' ? deps.config.captions.formats : ['scc', ...deps.config.captions.formats],
      );
      const outDir = join(deps.config.paths.output, media.site, outputSubdir(deps, media));
      for (const format of formats) {
        targets.push({ format, path: join(outDir, `${stem}.${format}`), sidecar: false });
      }
    }

    const results: (OwnedWrite & { format: CaptionFormat })[] = [];
    for (const target of targets) {
      await mkdir(dirname(target.path), { recursive: true });
      const result = await writeOwnedFile(ctx.db, {
        mediaId: media.id,
        kind: target.sidecar ? 'sidecar' : 'caption',
        path: target.path,
        content: target.format === 'scc' ? scc.text : formatCaptions(built.captions, target.format),
        durationSeconds: media.duration_sec,
      });
      if (!result.written) ctx.log.warn({ path: result.path, reason: result.reason }, 'left a caption file alone');
      results.push({ ...result, format: target.format });
    }
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
