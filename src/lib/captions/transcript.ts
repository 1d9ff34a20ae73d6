import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError, errorMessage } from '../errors.js';

/** A spoken word, times in seconds from the start of the recording. */
export interface TranscriptWord {
  text: string;
  start: number;
  end: number;
  probability?: number;
  /** Index into `Transcript.segments` of the engine segment the word came from. */
  segment?: number;
}

/**
 * One engine segment. The scores are Whisper's own, where the engine writes them
 * (openai-whisper and faster-whisper do; whisper.cpp's JSON has none): they are what tells
 * a hallucination from speech.
 */
export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
  /** Probability of the no-speech token (`no_speech_prob`). */
  noSpeechProb?: number;
  /** Mean token log probability (`avg_logprob`). */
  avgLogprob?: number;
  /** Bytes of text over bytes of its zlib compression (`compression_ratio`): loops compress well. */
  compressionRatio?: number;
  /** Sampling temperature the segment was decoded at (`temperature`): above 0 means Whisper fell back. */
  temperature?: number;
}

/** What normalisation had to repair: both happen in real engine output and in merged transcripts. */
export interface TranscriptRepairs {
  /** Segments that started before a segment listed ahead of them, now put in time order. */
  reorderedSegments: number;
  /** Words a segment repeated from the end of the one before it over the same time (seek overlap). */
  overlapWords: number;
}

/**
 * One recording's transcript, normalised: words trimmed, non-empty, in time order with
 * non-overlapping times, each naming its segment; segments in time order; no engine control
 * tokens and no [BLANK_AUDIO] markers.
 */
export interface Transcript {
  language?: string;
  text: string;
  words: TranscriptWord[];
  segments: TranscriptSegment[];
  repairs?: TranscriptRepairs;
}

const openAiWordSchema = z.object({
  word: z.string(),
  start: z.number(),
  end: z.number(),
  probability: z.number().optional(),
});

/**
 * openai-whisper and whisper-ctranslate2 (faster-whisper) `--output_format json`. faster-whisper
 * writes `null` for the words of a segment decoded without word timestamps and for an unknown
 * temperature.
 */
const openAiSchema = z.object({
  language: z.string().nullable().optional(),
  segments: z.array(
    z.object({
      start: z.number(),
      end: z.number(),
      text: z.string(),
      words: z.array(openAiWordSchema).nullable().optional(),
      no_speech_prob: z.number().nullable().optional(),
      avg_logprob: z.number().nullable().optional(),
      compression_ratio: z.number().nullable().optional(),
      temperature: z.number().nullable().optional(),
    }),
  ),
});

const offsetsSchema = z.object({ from: z.number(), to: z.number() });

/** whisper.cpp `-oj` (segments) and `-ojf` (segments with sub-word tokens); offsets in ms. */
const whisperCppSchema = z.object({
  result: z.object({ language: z.string().optional() }).optional(),
  transcription: z.array(
    z.object({
      offsets: offsetsSchema,
      text: z.string(),
      tokens: z
        // whisper.cpp writes token offsets only when token timestamps were on (older releases
        // did not turn them on for -ojf); without them the segment's times are used.
        .array(z.object({ text: z.string(), offsets: offsetsSchema.optional(), p: z.number().optional() }))
        .optional(),
    }),
  ),
});

/** A timed piece of text before it is split into words (a word, a token run or a whole segment). */
export interface TimedText {
  text: string;
  start: number;
  end: number;
  probability?: number;
}

/** A segment as the engine listed it, with the pieces of text it holds. */
interface SegmentDraft {
  segment: TranscriptSegment;
  pieces: TimedText[];
}

/** whisper.cpp's names for special tokens ([_BEG_], [_TT_550], [_LANG_en], [_extra_token_50358]) and OpenAI's (<|en|>). */
const SPECIAL_TOKEN = /^(\[_[A-Za-z]+(?:_[A-Za-z0-9]+)*_?\]|<\|[^|]*\|>)$/;
const NON_SPEECH_MARKER = /^\[BLANK_AUDIO\][.,]*$/i;
const CLOSING_PUNCTUATION = /^[.,!?;:%)\]}"'”’…]+$/u;
/** A repeated word may start this much after its earlier copy ends and still be the same word said once. */
const OVERLAP_TOLERANCE = 0.1;
/** More words than a 30-second Whisper window holds; a repeat is never longer. */
const MAX_SEGMENT_WORDS = 200;

export function parseTranscript(json: unknown, source: string): Transcript {
  if (isRecord(json) && 'transcription' in json) {
    const doc = validate(whisperCppSchema, json, source);
    return build(doc.result?.language, fromWhisperCpp(doc));
  }
  if (isRecord(json) && 'segments' in json) {
    const doc = validate(openAiSchema, json, source);
    return build(doc.language ?? undefined, fromOpenAi(doc));
  }
  throw new UsageError(
    `${source}: not a Whisper transcript: expected "segments" (openai-whisper, faster-whisper) or "transcription" (whisper.cpp)`,
  );
}

export async function readTranscriptFile(path: string): Promise<Transcript> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${errorMessage(error)}`, [], { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: invalid JSON: ${errorMessage(error)}`, [], { cause: error });
  }
  return parseTranscript(json, path);
}

function fromOpenAi(doc: z.infer<typeof openAiSchema>): SegmentDraft[] {
  return doc.segments.map((raw) => {
    const segment: TranscriptSegment = { start: raw.start, end: raw.end, text: raw.text };
    if (typeof raw.no_speech_prob === 'number') segment.noSpeechProb = raw.no_speech_prob;
    if (typeof raw.avg_logprob === 'number') segment.avgLogprob = raw.avg_logprob;
    if (typeof raw.compression_ratio === 'number') segment.compressionRatio = raw.compression_ratio;
    if (typeof raw.temperature === 'number') segment.temperature = raw.temperature;
    // An empty word list (alignment found nothing) must not lose the segment's text.
    const pieces: TimedText[] =
      raw.words && raw.words.length > 0
        ? raw.words.map((w) => withProbability({ text: w.word, start: w.start, end: w.end }, w.probability))
        : [{ text: raw.text, start: raw.start, end: raw.end }];
    return { segment, pieces };
  });
}

function fromWhisperCpp(doc: z.infer<typeof whisperCppSchema>): SegmentDraft[] {
  const drafts: SegmentDraft[] = [];
  let previous: TimedText | undefined;
  for (const entry of doc.transcription) {
    const segment: TranscriptSegment = { start: entry.offsets.from / 1000, end: entry.offsets.to / 1000, text: entry.text };
    const tokens = entry.tokens ?? [];
    // No tokens (-oj), an empty token list, or tokens without times: the segment's own text and times.
    if (tokens.length === 0 || tokens.some((token) => !token.offsets)) {
      previous = { text: entry.text, start: segment.start, end: segment.end };
      drafts.push({ segment, pieces: [previous] });
      continue;
    }
    const pieces: TimedText[] = [];
    for (const token of tokens) {
      if (SPECIAL_TOKEN.test(token.text.trim()) || !token.offsets || token.text === '') continue;
      const piece = withProbability({ text: token.text, start: token.offsets.from / 1000, end: token.offsets.to / 1000 }, token.p);
      // A sub-word piece continues the word before it (even across segments) unless it starts with a space.
      if (previous && !/^\s/u.test(token.text)) {
        previous.text += token.text;
        previous.end = Math.max(previous.end, piece.end);
        withProbability(previous, minDefined(previous.probability, piece.probability));
      } else {
        pieces.push(piece);
        previous = piece;
      }
    }
    drafts.push({ segment, pieces });
  }
  return drafts;
}

function withProbability(piece: TimedText, probability: number | undefined): TimedText {
  if (probability !== undefined) piece.probability = probability;
  return piece;
}

/**
 * Words and segments in time order whatever order the engine listed them in (merged passes
 * and music segments come out of order), without the words a segment repeats from the end of
 * the one before it over the same time (Whisper's seek overlap).
 */
function build(language: string | undefined, drafts: readonly SegmentDraft[]): Transcript {
  const parsed: { segment: TranscriptSegment; words: TranscriptWord[]; order: number }[] = [];
  const carry: { word: TranscriptWord | undefined } = { word: undefined };
  drafts.forEach((draft, order) => {
    const text = cleanText(draft.segment.text);
    const words = segmentWords(draft.pieces, carry);
    if (text === '' || NON_SPEECH_MARKER.test(text) || words.length === 0) return;
    const start = Math.max(0, draft.segment.start);
    parsed.push({ segment: { ...draft.segment, start, end: Math.max(start, draft.segment.end), text }, words, order });
  });

  let reorderedSegments = 0;
  let latestStart = Number.NEGATIVE_INFINITY;
  for (const entry of parsed) {
    const first = entry.words[0]?.start ?? 0;
    if (first < latestStart) reorderedSegments++;
    latestStart = Math.max(latestStart, first);
  }
  parsed.sort((a, b) => (a.words[0]?.start ?? 0) - (b.words[0]?.start ?? 0) || a.order - b.order);

  let overlapWords = 0;
  const kept: typeof parsed = [];
  // The words kept so far, newest last: a repeat can reach back past a short segment ("Dr.").
  const recent: TranscriptWord[] = [];
  for (const entry of parsed) {
    const repeated = repeatedPrefix(recent.slice(-entry.words.length), entry.words);
    overlapWords += repeated;
    if (repeated === entry.words.length) continue;
    const words = entry.words.slice(repeated);
    kept.push(repeated > 0 ? { ...entry, words } : entry);
    recent.push(...words);
    if (recent.length > 4 * MAX_SEGMENT_WORDS) recent.splice(0, recent.length - MAX_SEGMENT_WORDS);
  }

  const segments = kept.map((entry) => entry.segment);
  const words = kept.flatMap((entry, index) => entry.words.map((word) => ({ ...word, segment: index })));
  // Segments can still overlap in time (a long music segment around speech): order the words themselves.
  words.sort((a, b) => a.start - b.start || a.segment - b.segment);
  for (let i = 1; i < words.length; i++) {
    const previous = words[i - 1] as TranscriptWord;
    const word = words[i] as TranscriptWord;
    if (previous.end > word.start) previous.end = word.start;
  }
  const transcript: Transcript = { text: segments.map((s) => s.text).join(' '), words, segments };
  if (reorderedSegments > 0 || overlapWords > 0) transcript.repairs = { reorderedSegments, overlapWords };
  if (language) transcript.language = language;
  return transcript;
}

function cleanText(text: string): string {
  return text.trim().replace(/\s+/gu, ' ');
}

/**
 * How many words at the start of `current` repeat the last words of `previous` over the same
 * time: the longest run whose first word starts before its earlier copy has ended. A speaker
 * saying a word again after it ("conditions? Conditions") says it later and is kept.
 */
function repeatedPrefix(previous: readonly TranscriptWord[], current: readonly TranscriptWord[]): number {
  const first = current[0];
  if (!first) return 0;
  for (let k = Math.min(previous.length, current.length); k > 0; k--) {
    const copy = previous[previous.length - k];
    if (!copy || first.start >= copy.end + OVERLAP_TOLERANCE) continue;
    let same = true;
    for (let i = 0; i < k && same; i++) {
      same = wordKey(previous[previous.length - k + i]) === wordKey(current[i]);
    }
    if (same) return k;
  }
  return 0;
}

function wordKey(word: TranscriptWord | undefined): string {
  return (word?.text ?? '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Splits a segment's pieces into whitespace-free words (a piece holding several words shares
 * its time among them by length), glues stray punctuation to the word before (in an earlier
 * segment if need be: `carry`), drops markers, and keeps the segment's words in order: a word
 * never starts before the word before it, which is cut short where the two overlap.
 */
function segmentWords(pieces: readonly TimedText[], carry: { word: TranscriptWord | undefined }): TranscriptWord[] {
  const words: TranscriptWord[] = [];
  for (const piece of pieces) {
    for (const part of splitPiece(piece)) {
      if (NON_SPEECH_MARKER.test(part.text) || SPECIAL_TOKEN.test(part.text)) continue;
      const previous = words.at(-1);
      if (CLOSING_PUNCTUATION.test(part.text)) {
        const target = previous ?? carry.word;
        if (target) target.text += part.text;
        continue;
      }
      const start = Math.max(0, part.start, previous?.start ?? 0);
      const word: TranscriptWord = withProbability({ text: part.text, start, end: Math.max(start, part.end) }, part.probability);
      if (previous && previous.end > start) previous.end = start;
      words.push(word);
      carry.word = word;
    }
  }
  return words;
}

function splitPiece(piece: TimedText): TimedText[] {
  const parts = piece.text
    .trim()
    .split(/\s+/u)
    .filter((p) => p !== '');
  if (parts.length <= 1) return parts.map((text) => ({ ...piece, text }));
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const span = Math.max(0, piece.end - piece.start);
  let offset = 0;
  return parts.map((text) => {
    const start = piece.start + (span * offset) / total;
    offset += text.length;
    return withProbability({ text, start, end: piece.start + (span * offset) / total }, piece.probability);
  });
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validate<T>(schema: z.ZodType<T>, json: unknown, source: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = formatPath(issue.path);
    return `${source}: ${where ? `${where}: ` : ''}${describeIssue(issue, json)}`;
  });
  throw new UsageError(problems[0] ?? `${source}: invalid transcript`, problems);
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
  const found = valueAt(root, issue.path);
  const got = found === undefined ? 'missing' : `got ${found === null ? 'null' : Array.isArray(found) ? 'an array' : typeof found}`;
  return `expected ${withArticle(issue.expected)}, ${got}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function withArticle(type: string): string {
  return /^[aeiou]/u.test(type) ? `an ${type}` : `a ${type}`;
}
