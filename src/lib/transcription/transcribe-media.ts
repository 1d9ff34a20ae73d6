import { join } from 'node:path';
import { ArchivistError, UnavailableError } from '../errors.js';
import { extractAudio } from '../media/extract-audio.js';
import type { MediaFacts } from '../media/probe.js';
import { withScratchDir } from '../media/scratch.js';
import type { EngineConfig } from './engine-config.js';
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
}

/**
 * Recordings in, transcripts out: extracts each file's audio into a scratch directory under
 * `workRoot`, transcribes all of them in one engine run, and removes the scratch directory
 * whatever happens. A file that cannot be extracted (MediaProblem: no audio, unreadable) fails
 * alone; a missing ffmpeg or engine stops the whole call (UnavailableError, exit 3).
 */
export async function transcribeMedia(
  engine: EngineConfig,
  media: readonly MediaItem[],
  options: TranscribeMediaOptions,
): Promise<BatchResult[]> {
  return withScratchDir(options.workRoot, async (scratch) => {
    const results: BatchResult[] = [];
    const ready: BatchItem[] = [];
    const readyAt: number[] = [];
    for (const [i, item] of media.entries()) {
      options.signal?.throwIfAborted();
      try {
        const { wavPath, facts } = await extractAudio(item.path, join(scratch, `${String(i).padStart(4, '0')}.wav`), {
          streamIndex: item.audioStream,
          facts: item.facts,
          signal: options.signal,
        });
        ready.push({ id: item.id, audioPath: wavPath, durationSec: facts.durationSec });
        readyAt.push(i);
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
      if (at !== undefined) results[at] = result;
    });
    return results;
  });
}
