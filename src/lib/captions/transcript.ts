import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError, errorMessage } from '../errors.js';

/** A spoken word, times in seconds from the start of the recording. */
export interface TranscriptWord {
  text: string;
  start: number;
  end: number;
  probability?: number;
}

export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
}

/**
 * One recording's transcript, normalised: words trimmed, non-empty, in time order with
 * non-overlapping times; no engine control tokens and no [BLANK_AUDIO] markers.
 */
export interface Transcript {
  language?: string | undefined;
  text: string;
  words: TranscriptWord[];
  segments: TranscriptSegment[];
}

const openAiWordSchema = z.object({
  word: z.string(),
  start: z.number(),
  end: z.number(),
  probability: z.number().optional(),
});

/** openai-whisper and whisper-ctranslate2 (faster-whisper) `--output_format json`. */
const openAiSchema = z.object({
  text: z.string().optional(),
  language: z.string().nullable().optional(),
  segments: z.array(
    z.object({
      start: z.number(),
      end: z.number(),
      text: z.string(),
      words: z.array(openAiWordSchema).optional(),
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

/** whisper.cpp's names for special tokens ([_BEG_], [_TT_550], [_LANG_en], [_extra_token_50358]) and OpenAI's (<|en|>). */
const SPECIAL_TOKEN = /^(\[_[A-Za-z]+(?:_[A-Za-z0-9]+)*_?\]|<\|[^|]*\|>)$/;
const NON_SPEECH_MARKER = /^\[BLANK_AUDIO\][.,]*$/i;
const CLOSING_PUNCTUATION = /^[.,!?;:%)\]}"'”’…]+$/u;

export function parseTranscript(json: unknown, source: string): Transcript {
  if (isRecord(json) && 'transcription' in json) {
    return fromWhisperCpp(validate(whisperCppSchema, json, source));
  }
  if (isRecord(json) && 'segments' in json) {
    return fromOpenAi(validate(openAiSchema, json, source));
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

function fromOpenAi(doc: z.infer<typeof openAiSchema>): Transcript {
  const pieces: TimedText[] = doc.segments.flatMap((segment) =>
    // An empty word list (alignment found nothing) must not lose the segment's text.
    segment.words && segment.words.length > 0
      ? segment.words.map((w) => ({ text: w.word, start: w.start, end: w.end, probability: w.probability }))
      : [{ text: segment.text, start: segment.start, end: segment.end }],
  );
  const segments = cleanSegments(doc.segments);
  return build(doc.language ?? undefined, doc.text, pieces, segments);
}

function fromWhisperCpp(doc: z.infer<typeof whisperCppSchema>): Transcript {
  const pieces: TimedText[] = [];
  for (const entry of doc.transcription) {
    if (!entry.tokens || entry.tokens.some((token) => !token.offsets)) {
      pieces.push({ text: entry.text, start: entry.offsets.from / 1000, end: entry.offsets.to / 1000 });
      continue;
    }
    for (const token of entry.tokens) {
      if (SPECIAL_TOKEN.test(token.text.trim()) || !token.offsets) continue;
      const piece = { text: token.text, start: token.offsets.from / 1000, end: token.offsets.to / 1000, probability: token.p };
      const previous = pieces.at(-1);
      // A sub-word piece continues the word before it unless it starts with a space.
      if (previous && token.text !== '' && !/^\s/u.test(token.text)) {
        previous.text += token.text;
        previous.end = Math.max(previous.end, piece.end);
        previous.probability = minDefined(previous.probability, piece.probability);
      } else {
        pieces.push(piece);
      }
    }
  }
  const segments = cleanSegments(doc.transcription.map((e) => ({ start: e.offsets.from / 1000, end: e.offsets.to / 1000, text: e.text })));
  return build(doc.result?.language, undefined, pieces, segments);
}

function build(language: string | undefined, text: string | undefined, pieces: TimedText[], segments: TranscriptSegment[]): Transcript {
  const words = normaliseWords(pieces);
  const given = text?.trim() ?? '';
  const transcript: Transcript = {
    text: given === '' ? segments.map((s) => s.text).join(' ') : given,
    words,
    segments,
  };
  if (language) transcript.language = language;
  return transcript;
}

function cleanSegments(raw: readonly TranscriptSegment[]): TranscriptSegment[] {
  return raw
    .map((s) => ({ start: Math.max(0, s.start), end: Math.max(0, s.start, s.end), text: s.text.trim().replace(/\s+/gu, ' ') }))
    .filter((s) => s.text !== '' && !NON_SPEECH_MARKER.test(s.text));
}

/**
 * Splits pieces into whitespace-free words (a piece holding several words shares its time
 * among them by length), glues stray punctuation to the word before, drops markers, and
 * repairs time order: a word keeps its start (captions sync to starts) and the word before
 * it is cut short where the two overlap.
 */
function normaliseWords(pieces: readonly TimedText[]): TranscriptWord[] {
  const words: TranscriptWord[] = [];
  for (const piece of pieces) {
    for (const part of splitPiece(piece)) {
      if (NON_SPEECH_MARKER.test(part.text) || SPECIAL_TOKEN.test(part.text)) continue;
      const previous = words.at(-1);
      if (previous && CLOSING_PUNCTUATION.test(part.text)) {
        previous.text += part.text;
        continue;
      }
      const start = Math.max(0, part.start, previous?.start ?? 0);
      const word: TranscriptWord = { text: part.text, start, end: Math.max(start, part.end) };
      if (part.probability !== undefined) word.probability = part.probability;
      if (previous && previous.end > start) previous.end = start;
      words.push(word);
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
    const part: TimedText = { text, start, end: piece.start + (span * offset) / total };
    if (piece.probability !== undefined) part.probability = piece.probability;
    return part;
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
