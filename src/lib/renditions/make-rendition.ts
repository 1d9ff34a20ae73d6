import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { encodeScc } from '../captions/scc-encode.js';
import type { Caption } from '../captions/segment.js';
import { formatSrt } from '../captions/srt.js';
import { TransientError } from '../errors.js';
import { discardLeftoverTemp, findArtifact } from '../artifacts/records.js';
import { tempPathFor } from '../fs/atomic.js';
import { confinedPath } from '../fs/safe-path.js';
import type { Db } from '../db/schema.js';
import { MediaProblem } from '../media/media-problem.js';
import { runMediaTool, stderrTail } from '../media/run-tool.js';
import { withScratchDir } from '../media/scratch.js';
import { sha256File } from '../fs/file-sha256.js';
import { renditionArgs } from './ffmpeg-args.js';
import { renditionFileName, type RenditionMode } from './modes.js';
import { assertReplaceable, placeRendition } from './place-rendition.js';
import { probeContainer } from './probe-streams.js';
import { sccWithTrailingFiller } from './scc-for-mux.js';
import { verifyRendition } from './verify-rendition.js';

export interface MakeRenditionOptions {
  db: Db;
  mediaId: number;
  /** The recording. */
  mediaPath: string;
  captions: readonly Caption[];
  mode: RenditionMode;
  outDir: string;
  /** Where scratch caption files go (config paths.work). */
  workRoot: string;
  crf: number;
  preset: string;
  log: Logger;
  signal?: AbortSignal;
}

export interface Rendition {
  path: string;
  mode: RenditionMode;
  size: number;
  sha256: string;
  captions: number;
}

/**
 * Makes the rendition (renditionFileName) in `outDir`: ffmpeg writes a temp name beside the target,
 * the result is checked (verifyRendition), and only then renamed into place and recorded
 * as Archivist's. The temp file is removed whatever happens.
 */
export async function makeRendition(options: MakeRenditionOptions): Promise<Rendition> {
  const { db, mode, signal, log } = options;
  await mkdir(options.outDir, { recursive: true });
  // Named after the recording's own file name (which the share already holds, so no rewriting
  // it): kept inside the output directory, symlinks included.
  const target = await confinedPath(resolve(options.outDir), renditionFileName(options.mediaPath, mode));
  await assertReplaceable(db, target, options.mediaId, signal);
  await discardLeftoverTemp(target, await findArtifact(db, target), options.mediaId);
  const source = await probeContainer(options.mediaPath, signal);
  if (!source.streams.some((s) => s.type === 'video')) throw new MediaProblem(options.mediaPath, 'has no video stream to carry captions');

  return withScratchDir(resolve(options.workRoot), async (scratch) => {
    // Named after the recording, so ffmpeg's messages (and the filter graph) see its real name.
    const stem = basename(options.mediaPath, extname(options.mediaPath));
    const captionsFile = join(scratch, `${stem}.${mode === 'mov-608' ? 'scc' : 'srt'}`);
    await writeFile(
      captionsFile,
      mode === 'mov-608' ? sccWithTrailingFiller(encodeScc(options.captions), source.durationSec ?? 0) : formatSrt(options.captions),
    );
    const temp = tempPathFor(target);
    try {
      log.info({ mediaId: options.mediaId, mode, target }, 'making a captioned rendition');
      const result = await runMediaTool(
        'ffmpeg',
        renditionArgs({ mode, input: options.mediaPath, captionsFile, output: temp, crf: options.crf, preset: options.preset }),
        { signal },
      );
      if (result.exitCode !== 0) {
        throw new TransientError(
          `ffmpeg could not make the ${mode} rendition of ${options.mediaPath}: ${stderrTail(result.stderr) || `exit ${result.exitCode}`}`,
        );
      }
      await verifyRendition({
        mode,
        source,
        output: temp,
        captionsFile,
        captionTexts: options.captions.map((c) => c.lines.join(' ')),
        signal,
      });
      const digest = await sha256File(temp, signal);
      const { size } = await stat(temp);
      await placeRendition(db, { mediaId: options.mediaId, temp, target, sha256: digest, signal });
      log.info({ mediaId: options.mediaId, mode, path: target, size }, 'captioned rendition written');
      return { path: target, mode, size, sha256: digest, captions: options.captions.length };
    } finally {
      await rm(temp, { force: true });
    }
  });
}
