import { UsageError } from '../errors.js';
import type { Transcript } from './transcript.js';

/** SMPTE timecode (and so SCC) ends at 24:00:00;00. */
export const MAX_CAPTION_SECONDS = 24 * 3600;
/** Engines stamp the last word up to a few hundred ms past the audio (20 ms frames, padding). */
const DEFAULT_TOLERANCE_SECONDS = 1;

export interface TimeCheckOptions {
  /** The transcript's file or job, named in the error. */
  source: string;
  /** The recording's length (ffprobe); without it only the 24-hour limit applies. */
  durationSeconds?: number | undefined;
  /** How far past the recording's end a word may run and be pulled back to it. */
  toleranceSeconds?: number;
}

/** A word timed outside the recording: the transcript is not of this recording, or is corrupt. */
export class TranscriptTimeError extends UsageError {
  readonly source: string;
  /** 0-based index of the word in the transcript's words. */
  readonly wordIndex: number;
  readonly word: string;
  readonly time: number;
  constructor(source: string, wordIndex: number, word: string, time: number, limit: string) {
    super(`${source}: word ${wordIndex + 1} "${word}" at ${describeSeconds(time)} is past ${limit}; no captions were made`);
    this.source = source;
    this.wordIndex = wordIndex;
    this.word = word;
    this.time = time;
  }
}

/**
 * Checks every word against the recording's duration and 24 hours, throwing a
 * `TranscriptTimeError` for the first one outside. Words ending within the tolerance past
 * the recording's end are pulled back to it.
 */
export function checkWordTimes(transcript: Transcript, options: TimeCheckOptions): Transcript {
  const duration = options.durationSeconds;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const limit = duration === undefined ? MAX_CAPTION_SECONDS : Math.min(duration + tolerance, MAX_CAPTION_SECONDS);
  const limitName =
    duration === undefined || duration + tolerance >= MAX_CAPTION_SECONDS
      ? '24 hours, where SCC timecodes end'
      : `the end of the recording (${describeSeconds(duration)})`;
  transcript.words.forEach((word, index) => {
    const time = Math.max(word.start, word.end);
    if (!(time < limit)) throw new TranscriptTimeError(options.source, index, word.text, time, limitName);
  });
  if (duration === undefined || !transcript.words.some((word) => word.end > duration)) return transcript;
  return {
    ...transcript,
    words: transcript.words.map((word) => (word.end > duration ? { ...word, start: Math.min(word.start, duration), end: duration } : word)),
  };
}

/** `1:02:03.5 (3723.5 s)`: readable, and exact for a person checking the JSON. */
function describeSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds >= 1e7) return `${seconds} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds / 60) % 60;
  const s = seconds - Math.floor(seconds / 60) * 60;
  return `${h}:${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')} (${seconds} s)`;
}
