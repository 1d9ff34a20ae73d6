import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError, errnoCode } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { pathExists } from '../fs/path-exists.js';
import { filterHallucinations, type DroppedSegment, type HallucinationOptions } from './hallucinations.js';
import { maskProfanity, type ProfanityOptions } from './profanity.js';
import { captionQuality, type CaptionQuality } from './quality.js';
import { encodeScc, renderScc, type SccRender } from './scc-encode.js';
import { segmentCaptions, type Caption, type SegmentOptions } from './segment.js';
import { formatSrt } from './srt.js';
import { applySubstitutions, type Substitution } from './substitutions.js';
import { checkWordTimes } from './times.js';
import type { Transcript, TranscriptWord } from './transcript.js';
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

export interface CaptionOptions extends SegmentOptions {
  /** The transcript's file or job, named in errors. */
  source?: string;
  /** The recording's length (ffprobe): words past it are an error. Without it, only 24 h is checked. */
  durationSeconds?: number;
  hallucinations?: HallucinationOptions;
  substitutions?: readonly Substitution[];
  profanity?: ProfanityOptions;
}

/** Captions for a transcript and everything a report or a warning needs about them. */
export interface CaptionBuild {
  captions: Caption[];
  /** The words captioned, as captioned: hallucinations dropped, substitutions and masking applied. */
  words: TranscriptWord[];
  /** No words left to caption: record "no speech" instead of writing files. */
  noSpeech: boolean;
  /** The SCC file and what it could not carry; undefined when there is no speech. */
  scc: SccRender | undefined;
  dropped: DroppedSegment[];
  substitutions: number;
  masked: number;
  quality: CaptionQuality;
}

/**
 * The captions a transcript gets on air: times checked against the recording, Whisper's
 * hallucinations dropped, substitutions and profanity masking applied, then segmented and
 * encoded. One call for the pipeline and the CLI; throws `TranscriptTimeError` for a word
 * outside the recording.
 */
export function buildCaptions(transcript: Transcript, options: CaptionOptions = {}): CaptionBuild {
  const checked = checkWordTimes(transcript, { source: options.source ?? 'transcript', durationSeconds: options.durationSeconds });
  const filtered = filterHallucinations(checked, options.hallucinations);
  const substituted = applySubstitutions(filtered.transcript, options.substitutions ?? []);
  const masked = maskProfanity(substituted.transcript, options.profanity);
  const captions = segmentCaptions(masked.transcript.words, options);
  const scc = captions.length > 0 ? renderScc(captions) : undefined;
  return {
    captions,
    words: masked.transcript.words,
    noSpeech: captions.length === 0,
    scc,
    dropped: filtered.dropped,
    substitutions: substituted.replaced,
    masked: masked.masked,
    quality: captionQuality({ transcript: masked.transcript, captions, dropped: filtered.dropped, scc }),
  };
}

/** `buildCaptions(...).captions`, for callers that only write the files. */
export function captionsFromTranscript(transcript: Transcript, options: CaptionOptions = {}): Caption[] {
  return buildCaptions(transcript, options).captions;
}

/** Refusal to replace a caption file that is already there (someone else's sidecar, maybe). */
export class CaptionFileExistsError extends UsageError {
  readonly path: string;
  constructor(path: string) {
    super(`${path} already exists; not replacing it (pass --overwrite to replace it)`);
    this.path = path;
  }
}

/** A transcript with no words to caption: nothing is written (an SCC without captions is not a caption file). */
export class NoSpeechError extends UsageError {
  constructor(name: string) {
    super(`${name}: the transcript has no speech to caption; no caption files written`);
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
  if (options.captions.length === 0) throw new NoSpeechError(options.name);
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
