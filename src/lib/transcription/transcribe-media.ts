import { join } from 'node:path';
import { ArchivistError, UnavailableError } from '../errors.js';
import { extractSpeech, type SkipSilenceSettings, type SkippedSilence } from '../media/extract-speech.js';
import type { MediaFacts } from '../media/probe.js';
import { withScratchDir } from '../media/scratch.js';
import type { TimeMap } from '../media/time-map.js';
import type { EngineConfig } from './engine-config.js';
import { mapTranscriptTimes } from './map-transcript.js';
import { transcribeBatch, type BatchItem, type BatchResult, type TranscribeBatchOptions } from './transcribe-batch.js';

export interface MediaItem {
  id: string;
  path: string;
  /** Absolute ffprobe stream index to transcribe instead of the first audio stream. */
  audioStream?: number;
  /** Facts from the probe step, so the file is not probed twice. */
  facts?: MediaFacts;
}

export interface TranscribeMediaOptions extends Omit<TranscribeBatchOptions, 'workDir'> {
  /** `paths.work`: the scratch directory for this call is made under it and removed afterwards. */
  workRoot: string;
  /** `engine.skipSilence`; without it the engine hears every recording whole. */
  skipSilence?: SkipSilenceSettings | undefined;
}

export interface MediaResult extends BatchResult {
  /** What silence skipping left out (when on and the audio was extracted). */
  skipped?: SkippedSilence;
}

const SKIP_OFF: SkipSilenceSettings = { enabled: false, thresholdDb: 0, minSeconds: 0, paddingSeconds: 0 };

/**
 * Recordings in, transcripts out: extracts each file's audio into a scratch directory under
 * `workRoot`, transcribes all of them in one engine run, and removes the scratch directory
 * whatever happens. With `skipSilence` the engine hears only the speech and its times are
 * mapped back to the recording's; a recording that is all silence is not given to the engine
 * and gets an empty transcript (no speech). A file that cannot be extracted (MediaProblem: no
 * audio, unreadable) fails alone; a missing ffmpeg or engine stops the whole call
 * (UnavailableError, exit 3).
 */
export async function transcribeMedia(
  engine: EngineConfig,
  media: readonly MediaItem[],
  options: TranscribeMediaOptions,
): Promise<MediaResult[]> {
  return withScratchDir(options.workRoot, async (scratch) => {
    const results: MediaResult[] = [];
    const ready: BatchItem[] = [];
    const readyAt: { index: number; map: TimeMap | undefined; skipped: SkippedSilence | undefined }[] = [];
    for (const [i, item] of media.entries()) {
      options.signal?.throwIfAborted();
      try {
        const speech = await extractSpeech(item.path, join(scratch, `${String(i).padStart(4, '0')}.wav`), options.skipSilence ?? SKIP_OFF, {
          streamIndex: item.audioStream,
          facts: item.facts,
          signal: options.signal,
        });
        const skipped = speech.skipped === undefined ? {} : { skipped: speech.skipped };
        if (speech.silent) {
          options.log.info({ id: item.id, path: item.path }, `${item.path} is all silence: nothing for the engine`);
          results[i] = { id: item.id, transcript: { text: '', words: [], segments: [] }, ...skipped };
        } else {
          ready.push({ id: item.id, audioPath: speech.wavPath, durationSec: speech.durationSec });
          readyAt.push({ index: i, map: speech.timeMap, skipped: speech.skipped });
        }
      } catch (error) {
        if (error instanceof UnavailableError || !(error instanceof ArchivistError)) throw error;
        options.log.warn({ id: item.id, path: item.path, err: error }, `cannot transcribe ${item.path}: ${error.message}`);
        results[i] = { id: item.id, error };
      }
      await options.heartbeat?.();
    }
    // transcribeBatch answers item for item, in order.
    const transcribed = await transcribeBatch(engine, ready, { ...options, workDir: scratch });
    transcribed.forEach((result, k) => {
      const at = readyAt[k];
      if (at === undefined) return;
      const transcript = result.transcript && at.map ? mapTranscriptTimes(result.transcript, at.map) : result.transcript;
      results[at.index] = {
        ...result,
        ...(transcript === undefined ? {} : { transcript }),
        ...(at.skipped === undefined ? {} : { skipped: at.skipped }),
      };
    });
    return results;
  });
}
