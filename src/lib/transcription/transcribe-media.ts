import { join } from 'node:path';
import { ArchivistError, UnavailableError } from '../errors.js';
import { extractSpeech, type SkipSilenceSettings, type SkippedSilence } from '../media/extract-speech.js';
import type { MediaFacts } from '../media/probe.js';
import { makeScratchDir } from '../media/scratch.js';
import type { TimeMap } from '../media/time-map.js';
import type { EngineConfig } from './engine-config.js';
import { mapTranscriptTimes } from './map-transcript.js';
import { transcribeBatch, type BatchItem, type BatchResult, type TranscribeBatchOptions } from './transcribe-batch.js';

export interface MediaItem {
  id: string;
  path: string;
  /** Absolute ffprobe stream index to transcribe instead of the first audio stream. */
  audioStream?: number | undefined;
  /** Facts from the probe step, so the file is not probed twice. */
  facts?: MediaFacts | undefined;
}

export interface TranscribeMediaOptions extends Omit<TranscribeBatchOptions, 'workDir'> {
  /** `paths.work`: the scratch directory for this call is made under it and removed afterwards. */
  workRoot: string;
  /** `engine.skipSilence`; without it the engine hears every recording whole. */
  skipSilence?: SkipSilenceSettings | undefined;
}

export type ExtractOptions = Pick<TranscribeMediaOptions, 'workRoot' | 'log' | 'signal' | 'heartbeat' | 'skipSilence'>;

export interface MediaResult extends BatchResult {
  /** What silence skipping left out (when on and the audio was extracted). */
  skipped?: SkippedSilence;
}

/**
 * A batch's audio, extracted and waiting for its engine run, in a scratch directory of its own
 * that lives until `transcribeExtracted` ends or `discard` is called.
 */
export interface ExtractedBatch {
  /** The answer for each item, by position: set already for files that need no engine (all silence) or could not be extracted. */
  results: MediaResult[];
  /** What the engine gets, in order, and where each item's answer goes. */
  ready: { item: BatchItem; index: number; map: TimeMap | undefined; skipped: SkippedSilence | undefined }[];
  scratch: string;
  /** Removes the scratch directory: for a batch that will not be transcribed. */
  discard: () => Promise<void>;
}

const SKIP_OFF: SkipSilenceSettings = { enabled: false, thresholdDb: 0, minSeconds: 0, paddingSeconds: 0 };

/**
 * Extracts each file's audio for the engine, one ffmpeg at a time, into a new scratch
 * directory under `workRoot`. A file that cannot be extracted (MediaProblem: no audio,
 * unreadable) fails alone; a missing ffmpeg or an abort rejects, with the directory removed.
 */
export async function extractBatch(media: readonly MediaItem[], options: ExtractOptions): Promise<ExtractedBatch> {
  const scratch = await makeScratchDir(options.workRoot);
  const batch: ExtractedBatch = { results: [], ready: [], scratch: scratch.path, discard: scratch.remove };
  try {
    for (const [i, item] of media.entries()) {
      options.signal?.throwIfAborted();
      try {
        const speech = await extractSpeech(
          item.path,
          join(scratch.path, `${String(i).padStart(4, '0')}.wav`),
          options.skipSilence ?? SKIP_OFF,
          { streamIndex: item.audioStream, facts: item.facts, signal: options.signal },
        );
        const skipped = speech.skipped === undefined ? {} : { skipped: speech.skipped };
        if (speech.silent) {
          options.log.info({ id: item.id, path: item.path }, `${item.path} is all silence: nothing for the engine`);
          batch.results[i] = { id: item.id, transcript: { text: '', words: [], segments: [] }, ...skipped };
        } else {
          batch.ready.push({
            item: { id: item.id, audioPath: speech.wavPath, durationSec: speech.durationSec },
            index: i,
            map: speech.timeMap,
            skipped: speech.skipped,
          });
        }
      } catch (error) {
        if (error instanceof UnavailableError || !(error instanceof ArchivistError)) throw error;
        options.log.warn({ id: item.id, path: item.path, err: error }, `cannot transcribe ${item.path}: ${error.message}`);
        batch.results[i] = { id: item.id, error };
      }
      await options.heartbeat?.();
    }
  } catch (error) {
    await scratch.remove();
    throw error;
  }
  return batch;
}

/**
 * Transcribes an extracted batch in one engine run, maps the times of skipped silence back to
 * the recordings', and removes the batch's scratch directory whatever happens. A missing
 * engine rejects (UnavailableError, exit 3); every other engine failure is per item.
 */
export async function transcribeExtracted(
  engine: EngineConfig,
  batch: ExtractedBatch,
  options: Omit<TranscribeBatchOptions, 'workDir'>,
): Promise<MediaResult[]> {
  try {
    const results = [...batch.results];
    // transcribeBatch answers item for item, in order.
    const transcribed = await transcribeBatch(
      engine,
      batch.ready.map((r) => r.item),
      { ...options, workDir: batch.scratch },
    );
    transcribed.forEach((result, k) => {
      const at = batch.ready[k];
      if (at === undefined) return;
      const transcript = result.transcript && at.map ? mapTranscriptTimes(result.transcript, at.map) : result.transcript;
      results[at.index] = {
        ...result,
        ...(transcript === undefined ? {} : { transcript }),
        ...(at.skipped === undefined ? {} : { skipped: at.skipped }),
      };
    });
    return results;
  } finally {
    await batch.discard();
  }
}

/**
 * Recordings in, transcripts out: `extractBatch`, then `transcribeExtracted`. With
 * `skipSilence` the engine hears only the speech and its times are mapped back to the
 * recording's; a recording that is all silence is not given to the engine and gets an empty
 * transcript (no speech). A file that cannot be extracted fails alone; a missing ffmpeg or
 * engine stops the whole call (UnavailableError, exit 3). No scratch is left either way.
 */
export async function transcribeMedia(
  engine: EngineConfig,
  media: readonly MediaItem[],
  options: TranscribeMediaOptions,
): Promise<MediaResult[]> {
  return transcribeExtracted(engine, await extractBatch(media, options), options);
}
