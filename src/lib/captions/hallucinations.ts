import { deflateSync } from 'node:zlib';
import type { Transcript, TranscriptSegment, TranscriptWord } from './transcript.js';

/**
 * Whisper's own limits (openai/whisper `transcribe.py` defaults, the same in faster-whisper):
 * a decode whose text compresses more than 2.4 times is a failed, looping decode, and a window
 * whose no-speech probability is over 0.6 is silence unless its average log probability is
 * above -1.
 */
export const WHISPER_THRESHOLDS = { noSpeechProb: 0.6, logprob: -1, compressionRatio: 2.4 } as const;

/** `drop` (the default) removes what Whisper made up; `keep` captions everything the engine wrote. */
export type HallucinationMode = 'drop' | 'keep';

export type DropReason = 'no-speech' | 'compression-ratio' | 'repetition' | 'dead-air-phrase';
export const DROP_REASONS: readonly DropReason[] = ['no-speech', 'compression-ratio', 'repetition', 'dead-air-phrase'];

/** A segment taken off the captions (or, with `partial`, the looping words cut from one), and why. */
export interface DroppedSegment {
  /** Index of the segment in the transcript given to the filter. */
  segment: number;
  start: number;
  end: number;
  /** The words removed. */
  text: string;
  reason: DropReason;
  /** The figures behind the reason, for a person reading the report. */
  detail: string;
  /** True when only a loop inside the segment was cut and the rest of it was kept. */
  partial?: boolean;
}

export interface HallucinationOptions {
  mode?: HallucinationMode;
  /** Stock phrases Whisper writes over silence; compared without case or punctuation. */
  deadAirPhrases?: readonly string[];
  /** A dead-air phrase is dropped only when no other speech is this close on either side. */
  isolationSeconds?: number;
}

export interface FilteredTranscript {
  /** The transcript without the dropped segments and words; segments renumbered. */
  transcript: Transcript;
  dropped: DroppedSegment[];
}

/** What Whisper is known to write over silence, music and applause (from its training on subtitled video). */
export const DEFAULT_DEAD_AIR_PHRASES: readonly string[] = [
  'Thank you.',
  'Thank you very much.',
  'Thank you so much.',
  'Thanks.',
  'Thanks for watching!',
  'Thank you for watching.',
  'Thanks for watching and please subscribe.',
  'Please subscribe.',
  'Like and subscribe.',
  'Bye.',
  'Goodbye.',
  'You',
  'Oh.',
  'Okay.',
  'Hmm.',
  'Um.',
  'Uh.',
  'Subtitles by the Amara.org community',
  'Transcription by CastingWords',
];

const DEFAULT_ISOLATION_SECONDS = 3;
/** Below this a word's probability marks it as unlikely (a mishearing, or words made up). */
export const LOW_PROBABILITY = 0.5;
/** Longest phrase (in words) whose repetition counts as a loop. */
const MAX_LOOP_PHRASE = 6;
/** Copies in a row that make a repeat worth a look. */
const LOOP_COPIES = 3;
/**
 * A repeat with nothing else against it is speech up to these many copies: a board's roll
 * call or voice vote ("Aye. Aye. Aye.") as segments of its own, and people repeating a word
 * inside a sentence ("no, no, no, no").
 */
const MAX_ROLL_CALL_COPIES = 15;
const MAX_COPIES_INSIDE = 5;

/**
 * Drops segments Whisper itself marks as non-speech, repetition loops and stock phrases said
 * into silence, returning each with its reason. Words that name no segment are kept.
 */
export function filterHallucinations(transcript: Transcript, options: HallucinationOptions = {}): FilteredTranscript {
  if (options.mode === 'keep') return { transcript, dropped: [] };
  const phrases = new Set((options.deadAirPhrases ?? DEFAULT_DEAD_AIR_PHRASES).map(phraseKey));
  const isolation = options.isolationSeconds ?? DEFAULT_ISOLATION_SECONDS;
  const segmentWords: TranscriptWord[][] = transcript.segments.map(() => []);
  for (const word of transcript.words) {
    if (word.segment !== undefined) segmentWords[word.segment]?.push(word);
  }

  const dropped: DroppedSegment[] = [];
  const removed = new Set<TranscriptWord>();
  const droppedSegments = new Set<number>();
  const drop = (index: number, reason: DropReason, detail: string, words = segmentWords[index] ?? []): void => {
    const segment = transcript.segments[index];
    if (!segment) return;
    const partial = words.length < (segmentWords[index]?.length ?? 0);
    const entry: DroppedSegment = { segment: index, start: segment.start, end: segment.end, text: joinWords(words), reason, detail };
    if (partial) {
      entry.partial = true;
      const first = words[0];
      const last = words.at(-1);
      if (first && last) [entry.start, entry.end] = [first.start, last.end];
    } else {
      droppedSegments.add(index);
    }
    for (const word of words) removed.add(word);
    dropped.push(entry);
  };

  transcript.segments.forEach((segment, index) => {
    const verdict = scoreVerdict(segment);
    if (verdict) drop(index, verdict.reason, verdict.detail);
  });
  const surroundings = new Surroundings(transcript.words, droppedSegments, isolation);

  transcript.segments.forEach((segment, index) => {
    if (droppedSegments.has(index)) return;
    const words = segmentWords[index] ?? [];
    const loop = longestLoop(words.map(wordKey));
    if (!loop) return;
    const said = `"${joinWords(words.slice(loop.start, loop.start + loop.phrase))}" ${loop.copies} times in a row`;
    if (loop.start === 0 && loop.end === words.length) {
      const why =
        whisperDoubt([segment], words) ??
        surroundings.quiet([index], words) ??
        (loop.copies > MAX_ROLL_CALL_COPIES ? `more than a roll call (${MAX_ROLL_CALL_COPIES})` : undefined);
      if (why) drop(index, 'repetition', `${said}; ${why}`);
      return;
    }
    // Keep the first copy: the loop is what Whisper added after what was said.
    const looped = words.slice(loop.start + loop.phrase, loop.end);
    const why =
      whisperDoubt([segment], looped) ?? (loop.copies > MAX_COPIES_INSIDE ? `more than people repeat (${MAX_COPIES_INSIDE})` : undefined);
    if (why) drop(index, 'repetition', `${said}; ${why}`, looped);
  });

  dropRepeatedSegments(transcript, segmentWords, droppedSegments, surroundings, drop);
  dropDeadAirPhrases(transcript, segmentWords, droppedSegments, phrases, isolation, drop);

  dropped.sort((a, b) => a.start - b.start || a.segment - b.segment);
  return { transcript: withoutDropped(transcript, droppedSegments, removed), dropped };
}

function scoreVerdict(segment: TranscriptSegment): { reason: DropReason; detail: string } | undefined {
  const { noSpeechProb, avgLogprob } = segment;
  if (noSpeechProb !== undefined && avgLogprob !== undefined) {
    if (noSpeechProb > WHISPER_THRESHOLDS.noSpeechProb && avgLogprob <= WHISPER_THRESHOLDS.logprob) {
      return { reason: 'no-speech', detail: `no_speech_prob ${round(noSpeechProb)}, avg_logprob ${round(avgLogprob)}` };
    }
  }
  const ratio = segment.compressionRatio ?? compressionRatio(segment.text);
  if (ratio > WHISPER_THRESHOLDS.compressionRatio) {
    const source = segment.compressionRatio === undefined ? ' (computed from the text)' : '';
    return { reason: 'compression-ratio', detail: `compression_ratio ${round(ratio)}${source}` };
  }
  return undefined;
}

/**
 * Whisper's measure, for engines that do not write it (whisper.cpp): UTF-8 bytes of the text
 * over the bytes of its zlib compression.
 */
export function compressionRatio(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return 0;
  return bytes.length / deflateSync(bytes).length;
}

/**
 * Three or more segments in a row that each say the same short phrase, with evidence that
 * Whisper made them up (`whisperDoubt`, nothing else said around them, more copies than a
 * roll call): a loop spread over segments. Without it they are a roll call or a voice vote.
 */
function dropRepeatedSegments(
  transcript: Transcript,
  segmentWords: readonly TranscriptWord[][],
  droppedSegments: ReadonlySet<number>,
  surroundings: Surroundings,
  drop: (index: number, reason: DropReason, detail: string) => void,
): void {
  const live = transcript.segments.map((_, index) => index).filter((index) => !droppedSegments.has(index));
  if (live.length === 0) return;
  const keyOf = (index: number | undefined): string | undefined => {
    const keys = (index === undefined ? [] : (segmentWords[index] ?? [])).map(wordKey).filter((key) => key !== '');
    if (keys.length === 0 || keys.length > MAX_LOOP_PHRASE) return undefined;
    return keys.join(' ');
  };
  let runStart = 0;
  for (let i = 1; i <= live.length; i++) {
    const key = keyOf(live[runStart]);
    const same = i < live.length && key !== undefined && keyOf(live[i]) === key;
    if (same) continue;
    const copies = i - runStart;
    if (key !== undefined && copies >= LOOP_COPIES) {
      const run = live.slice(runStart, i);
      const words = run.flatMap((index) => segmentWords[index] ?? []);
      const why =
        whisperDoubt(
          run.flatMap((index) => transcript.segments[index] ?? []),
          words,
        ) ??
        surroundings.quiet(run, words) ??
        (copies > MAX_ROLL_CALL_COPIES ? `more than a roll call (${MAX_ROLL_CALL_COPIES})` : undefined);
      if (why) {
        for (const index of run) {
          drop(index, 'repetition', `"${joinWords(segmentWords[index] ?? [])}" in ${copies} segments in a row; ${why}`);
        }
      }
    }
    runStart = i;
  }
}

/** Stock phrases with no other speech within `isolation` seconds on either side. */
function dropDeadAirPhrases(
  transcript: Transcript,
  segmentWords: readonly TranscriptWord[][],
  droppedSegments: ReadonlySet<number>,
  phrases: ReadonlySet<string>,
  isolation: number,
  drop: (index: number, reason: DropReason, detail: string) => void,
): void {
  const live = transcript.segments.map((_, index) => index).filter((index) => !droppedSegments.has(index));
  const isPhrase = live.map((index) => phrases.has(phraseKey(joinWords(segmentWords[index] ?? []))));
  const speech = live.filter((_, i) => !isPhrase[i]);
  const span = (index: number): [number, number] => {
    const words = segmentWords[index] ?? [];
    const segment = transcript.segments[index];
    return [words[0]?.start ?? segment?.start ?? 0, words.at(-1)?.end ?? segment?.end ?? 0];
  };
  const speechSpans = speech.map(span);
  let next = 0;
  live.forEach((index, i) => {
    if (!isPhrase[i]) return;
    const [start, end] = span(index);
    while (next < speechSpans.length && (speechSpans[next]?.[0] ?? start) < start) next++;
    const before = speechSpans[next - 1];
    const after = speechSpans[next];
    const quietBefore = !before || start - before[1] >= isolation;
    const quietAfter = !after || after[0] - end >= isolation;
    if (quietBefore && quietAfter) {
      drop(index, 'dead-air-phrase', `no other speech within ${isolation} s`);
    }
  });
}

/**
 * What says a repeat is Whisper's and not speech, in words for the report: any of its
 * segments decoded only on a fallback (temperature above 0), Whisper's no-speech
 * probability over its threshold, its average log probability under its threshold, or its
 * words' mean probability under `LOW_PROBABILITY`. Undefined when Whisper was sure of it.
 */
function whisperDoubt(segments: readonly TranscriptSegment[], words: readonly TranscriptWord[]): string | undefined {
  for (const { temperature, noSpeechProb, avgLogprob } of segments) {
    if (temperature !== undefined && temperature > 0) return `decoded on a fallback (temperature ${round(temperature)})`;
    if (noSpeechProb !== undefined && noSpeechProb > WHISPER_THRESHOLDS.noSpeechProb) return `no_speech_prob ${round(noSpeechProb)}`;
    if (avgLogprob !== undefined && avgLogprob < WHISPER_THRESHOLDS.logprob) return `avg_logprob ${round(avgLogprob)}`;
  }
  const probabilities = words.map((word) => word.probability).filter((p) => p !== undefined);
  if (probabilities.length === 0) return undefined;
  const mean = probabilities.reduce((sum, p) => sum + p, 0) / probabilities.length;
  return mean < LOW_PROBABILITY ? `mean word probability ${round(mean)}` : undefined;
}

/** The words still captioned, to ask whether anyone speaks near a stretch of time. */
class Surroundings {
  private readonly words: readonly TranscriptWord[];
  constructor(
    words: readonly TranscriptWord[],
    private readonly droppedSegments: ReadonlySet<number>,
    private readonly isolation: number,
  ) {
    // Normalised words are in time order and do not overlap, so their ends are in order too.
    this.words = words;
  }

  /** Why `words` of `segments` look like dead air: no other word within the isolation time on either side. */
  quiet(segments: readonly number[], words: readonly TranscriptWord[]): string | undefined {
    const start = words[0]?.start;
    const end = words.at(-1)?.end;
    if (start === undefined || end === undefined) return undefined;
    const own = new Set(segments);
    const from = start - this.isolation;
    const to = end + this.isolation;
    let low = 0;
    let high = this.words.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.words[mid]?.end ?? 0) <= from) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.words.length; i++) {
      const word = this.words[i];
      if (!word || word.start >= to) break;
      const segment = word.segment;
      if (segment === undefined || (!own.has(segment) && !this.droppedSegments.has(segment))) return undefined;
    }
    return `nothing else said within ${this.isolation} s`;
  }
}

interface Loop {
  start: number;
  end: number;
  phrase: number;
  copies: number;
}

/** The run of whole copies of one short phrase that covers the most words, if any has three copies. */
function longestLoop(keys: readonly string[]): Loop | undefined {
  let best: Loop | undefined;
  for (let phrase = 1; phrase <= MAX_LOOP_PHRASE; phrase++) {
    let runStart = 0;
    for (let i = phrase; i <= keys.length; i++) {
      if (i < keys.length && keys[i] === keys[i - phrase] && keys[i] !== '') continue;
      // keys[runStart, i) repeats with period `phrase`.
      const copies = Math.floor((i - runStart) / phrase);
      if (copies >= LOOP_COPIES) {
        // A trailing partial copy belongs to the loop too (Whisper stops mid-phrase).
        const loop = { start: runStart, end: i, phrase, copies };
        if (!best || loop.end - loop.start > best.end - best.start) best = loop;
      }
      runStart = i - phrase + 1;
      if (runStart < 0) runStart = 0;
    }
  }
  return best;
}

function withoutDropped(transcript: Transcript, droppedSegments: ReadonlySet<number>, removed: ReadonlySet<TranscriptWord>): Transcript {
  if (removed.size === 0 && droppedSegments.size === 0) return transcript;
  const renumber = new Map<number, number>();
  const segments: TranscriptSegment[] = [];
  transcript.segments.forEach((segment, index) => {
    if (droppedSegments.has(index)) return;
    renumber.set(index, segments.length);
    segments.push(segment);
  });
  const words: TranscriptWord[] = [];
  for (const word of transcript.words) {
    if (removed.has(word)) continue;
    if (word.segment === undefined) {
      words.push(word);
      continue;
    }
    // Every word of a dropped segment is in `removed`, so a kept word's segment is kept too.
    const segment = renumber.get(word.segment) ?? word.segment;
    words.push({ ...word, segment });
  }
  return { ...transcript, words, segments, text: segments.map((s) => s.text).join(' ') };
}

function joinWords(words: readonly TranscriptWord[]): string {
  return words.map((w) => w.text).join(' ');
}

function wordKey(word: TranscriptWord): string {
  return word.text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function phraseKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
