import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { pathExists } from '../fs/path-exists.js';
import { encodeScc } from './scc-encode.js';
import { segmentCaptions, type Caption, type SegmentOptions } from './segment.js';
import { formatSrt } from './srt.js';
import type { Transcript } from './transcript.js';
import { formatVtt } from './vtt.js';

export type CaptionFormat = 'scc' | 'srt' | 'vtt';
export const CAPTION_FORMATS: readonly CaptionFormat[] = ['scc', 'srt', 'vtt'];

const FORMATTERS: Record<CaptionFormat, (captions: readonly Caption[]) => string> = {
  scc: encodeScc,
  srt: formatSrt,
  vtt: formatVtt,
};

export function formatCaptions(captions: readonly Caption[], format: CaptionFormat): string {
  return FORMATTERS[format](captions);
}

/** The captions a transcript gets on air: one call for the pipeline and the CLI. */
export function captionsFromTranscript(transcript: Transcript, options: SegmentOptions = {}): Caption[] {
  return segmentCaptions(transcript.words, options);
}

/** Refusal to replace a caption file that is already there (someone else's sidecar, maybe). */
export class CaptionFileExistsError extends UsageError {
  readonly path: string;
  constructor(path: string) {
    super(`${path} already exists; not replacing it (overwrite to replace)`);
    this.path = path;
  }
}

export interface WriteCaptionFilesOptions {
  captions: readonly Caption[];
  outDir: string;
  /** Base name without extension: `<name>.scc`, `<name>.srt`, `<name>.vtt`. */
  name: string;
  formats: readonly CaptionFormat[];
  overwrite?: boolean;
}

/**
 * Writes each format atomically. Without `overwrite` no existing file is ever replaced: it
 * checks all targets first, writes exclusively (so a file appearing meanwhile is not
 * clobbered either), and on refusal removes what this call already wrote, leaving all or
 * nothing.
 */
export async function writeCaptionFiles(options: WriteCaptionFilesOptions): Promise<{ format: CaptionFormat; path: string }[]> {
  const targets = [...new Set(options.formats)].map((format) => ({
    format,
    path: join(options.outDir, `${options.name}.${format}`),
    content: formatCaptions(options.captions, format),
  }));
  if (!options.overwrite) {
    for (const { path } of targets) {
      if (await pathExists(path)) throw new CaptionFileExistsError(path);
    }
  }
  const written: string[] = [];
  try {
    for (const { path, content } of targets) {
      await writeFileAtomic(path, content, { exclusive: !options.overwrite });
      written.push(path);
    }
  } catch (error) {
    if (!options.overwrite) await Promise.all(written.map((path) => unlink(path)));
    if (errnoCode(error) === 'EEXIST') {
      throw new CaptionFileExistsError(targets[written.length]?.path ?? options.outDir);
    }
    throw error;
  }
  return targets.map(({ format, path }) => ({ format, path }));
}
