/**
 * Synthetic Whisper output for tests and benchmarks: deterministic "speech" (sentences,
 * pauses, long silences) rendered as openai-whisper/whisper-ctranslate2 JSON or as
 * whisper.cpp -oj/-ojf JSON, with the quirks real engines show.
 */

export interface SpokenWord {
  text: string;
  start: number;
  end: number;
}

const VOCABULARY = (
  'the council will now consider item number four on the agenda which concerns the budget for ' +
  'road maintenance and snow removal in the northern part of the city residents have asked ' +
  'whether the park can stay open later during summer months motion to approve seconded all ' +
  'in favor opposed thank you mayor members public hearing ordinance resolution staff report ' +
  'because however although planning commission recommended approval with conditions'
).split(' ');

/** Small deterministic PRNG (mulberry32) so fixtures are the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` words of meeting-like speech starting at `offset` seconds. */
export function syntheticSpeech(count: number, seed = 1, offset = 2): SpokenWord[] {
  const next = random(seed);
  const words: SpokenWord[] = [];
  let t = offset;
  let sentenceLeft = 0;
  for (let i = 0; i < count; i++) {
    if (sentenceLeft === 0) {
      sentenceLeft = 4 + Math.floor(next() * 14);
      if (i > 0) t += next() < 0.03 ? 5 + next() * 20 : 0.15 + next() * 1.2;
    }
    let text = VOCABULARY[Math.floor(next() * VOCABULARY.length)] ?? 'word';
    if (sentenceLeft === 1) text += next() < 0.8 ? '.' : '?';
    else if (next() < 0.08) text += ',';
    if (words.length === 0 || /[.?]$/.test(words.at(-1)?.text ?? '')) text = text.charAt(0).toUpperCase() + text.slice(1);
    const duration = 0.12 + text.length * 0.045 + next() * 0.1;
    words.push({ text, start: round(t), end: round(t + duration) });
    t += duration + next() * 0.08;
    sentenceLeft--;
  }
  return words;
}

/** Groups words into engine segments of up to `max` words, breaking after sentences. */
function segmentsOf(words: readonly SpokenWord[], max = 24): SpokenWord[][] {
  const segments: SpokenWord[][] = [];
  let current: SpokenWord[] = [];
  for (const word of words) {
    current.push(word);
    if (current.length >= max || /[.?]$/.test(word.text)) {
      segments.push(current);
      current = [];
    }
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/** openai-whisper / whisper-ctranslate2 `--output_format json --word_timestamps True`. */
export function openAiJson(words: readonly SpokenWord[], language = 'en'): Record<string, unknown> {
  const segments = segmentsOf(words).map((segment, id) => ({
    id,
    seek: 0,
    start: segment[0]?.start ?? 0,
    end: segment.at(-1)?.end ?? 0,
    text: segment.map((w) => ` ${w.text}`).join(''),
    tokens: [50364],
    temperature: 0,
    avg_logprob: -0.2,
    compression_ratio: 1.4,
    no_speech_prob: 0.01,
    words: segment.map((w) => ({ word: ` ${w.text}`, start: w.start, end: w.end, probability: 0.9 })),
  }));
  return { text: segments.map((s) => s.text).join(''), segments, language };
}

/** whisper.cpp `-oj` (no tokens) or `-ojf` (sub-word tokens with special tokens). */
export function whisperCppJson(words: readonly SpokenWord[], options: { full: boolean }): Record<string, unknown> {
  const entries: Record<string, unknown>[] = [];
  let previousEnd = 0;
  for (const segment of segmentsOf(words)) {
    const from = segment[0]?.start ?? 0;
    const to = segment.at(-1)?.end ?? 0;
    if (from - previousEnd > 3)
      entries.push(entry(previousEnd, from, ' [BLANK_AUDIO]', options.full ? blankTokens(previousEnd, from) : undefined));
    entries.push(entry(from, to, segment.map((w) => ` ${w.text}`).join(''), options.full ? tokensOf(segment) : undefined));
    previousEnd = to;
  }
  return {
    systeminfo: 'AVX = 1 | ',
    model: { type: 'base', multilingual: true },
    params: { model: 'models/ggml-base.en.bin', language: 'en', translate: false },
    result: { language: 'en' },
    transcription: entries,
  };
}

function entry(from: number, to: number, text: string, tokens: Record<string, unknown>[] | undefined): Record<string, unknown> {
  const e: Record<string, unknown> = {
    timestamps: { from: stamp(from), to: stamp(to) },
    offsets: { from: ms(from), to: ms(to) },
    text,
  };
  if (tokens) e.tokens = tokens;
  return e;
}

function token(text: string, from: number, to: number, id: number): Record<string, unknown> {
  return { text, timestamps: { from: stamp(from), to: stamp(to) }, offsets: { from: ms(from), to: ms(to) }, id, p: 0.87, t_dtw: -1 };
}

/** Words split into sub-word pieces the way a BPE tokenizer does; punctuation is its own piece. */
function tokensOf(segment: readonly SpokenWord[]): Record<string, unknown>[] {
  const from = segment[0]?.start ?? 0;
  const tokens = [token('[_BEG_]', from, from, 50364)];
  for (const word of segment) {
    const match = /^(.*?)([.,?]?)$/.exec(word.text);
    const body = match?.[1] ?? word.text;
    const punctuation = match?.[2] ?? '';
    const cut = body.length > 5 ? Math.ceil(body.length / 2) : body.length;
    const mid = word.start + ((word.end - word.start) * cut) / Math.max(1, word.text.length);
    tokens.push(token(` ${body.slice(0, cut)}`, word.start, mid, 1000));
    if (cut < body.length) tokens.push(token(body.slice(cut), mid, word.end, 1001));
    if (punctuation) tokens.push(token(punctuation, word.end, word.end, 13));
  }
  const to = segment.at(-1)?.end ?? from;
  tokens.push(token(`[_TT_${Math.round(to * 50)}]`, to, to, 50365));
  return tokens;
}

function blankTokens(from: number, to: number): Record<string, unknown>[] {
  return [
    token('[_BEG_]', from, from, 50364),
    token(' [', from, from, 685),
    token('BL', from, to, 9148),
    token('ANK', from, to, 15154),
    token('_', to, to, 62),
    token('AUDIO', to, to, 19397),
    token(']', to, to, 60),
  ];
}

function ms(seconds: number): number {
  return Math.round(seconds * 1000);
}

function stamp(seconds: number): string {
  const total = ms(seconds);
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor(total / 60_000) % 60;
  const s = Math.floor(total / 1000) % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')},${String(total % 1000).padStart(3, '0')}`;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
