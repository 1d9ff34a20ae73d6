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
    if (words.length === 0 || /[.?]$/.test(words.at(-1)?.text ?? '')) text = (text[0]?.toUpperCase() ?? '') + text.slice(1);
    const duration = 0.12 + text.length * 0.045 + next() * 0.1;
    words.push({ text, start: round(t), end: round(t + duration) });
    t += duration + next() * 0.08;
    sentenceLeft--;
  }
  return words;
}

/**
 * An engine segment before it is written out in an engine's format: its words and Whisper's
 * scores for it. `emptyTokens` makes whisper.cpp -ojf write `"tokens": []` for it.
 */
export interface PlannedSegment {
  words: SpokenWord[];
  noSpeechProb: number;
  avgLogprob: number;
  compressionRatio: number;
  temperature: number;
  emptyTokens?: boolean;
}

/**
 * Groups words into engine segments of up to `max` words, breaking after sentences and at
 * pauses of 2 s or more (Whisper's segments end where speech does), with a real speech
 * segment's scores.
 */
export function planSegments(words: readonly SpokenWord[], max = 24): PlannedSegment[] {
  const segments: PlannedSegment[] = [];
  let current: SpokenWord[] = [];
  const close = (): void => {
    segments.push({ words: current, noSpeechProb: 0.01, avgLogprob: -0.2, compressionRatio: 1.4, temperature: 0 });
    current = [];
  };
  words.forEach((word, i) => {
    current.push(word);
    const pause = (words[i + 1]?.start ?? Number.POSITIVE_INFINITY) - word.end;
    if (current.length >= max || /[.?]$/.test(word.text) || pause >= 2) close();
  });
  return segments;
}

/** openai-whisper / whisper-ctranslate2 `--output_format json --word_timestamps True`. */
export function openAiJson(words: readonly SpokenWord[] | readonly PlannedSegment[], language = 'en'): Record<string, unknown> {
  const segments = asPlan(words).map((segment, id) => ({
    id,
    seek: 0,
    start: segment.words[0]?.start ?? 0,
    end: segment.words.at(-1)?.end ?? 0,
    text: segment.words.map((w) => ` ${w.text}`).join(''),
    tokens: [50364],
    temperature: segment.temperature,
    avg_logprob: segment.avgLogprob,
    compression_ratio: segment.compressionRatio,
    no_speech_prob: segment.noSpeechProb,
    words: segment.words.map((w) => ({ word: ` ${w.text}`, start: w.start, end: w.end, probability: 0.9 })),
  }));
  return { text: segments.map((s) => s.text).join(''), segments, language };
}

/** whisper.cpp `-oj` (no tokens) or `-ojf` (sub-word tokens with special tokens). It writes no segment scores. */
export function whisperCppJson(
  words: readonly SpokenWord[] | readonly PlannedSegment[],
  options: { full: boolean },
): Record<string, unknown> {
  const entries: Record<string, unknown>[] = [];
  let previousEnd = 0;
  for (const segment of asPlan(words)) {
    const from = segment.words[0]?.start ?? 0;
    const to = segment.words.at(-1)?.end ?? 0;
    if (from - previousEnd > 3)
      entries.push(entry(previousEnd, from, ' [BLANK_AUDIO]', options.full ? blankTokens(previousEnd, from) : undefined));
    const tokens = options.full ? (segment.emptyTokens ? [] : tokensOf(segment.words)) : undefined;
    entries.push(entry(from, to, segment.words.map((w) => ` ${w.text}`).join(''), tokens));
    previousEnd = Math.max(previousEnd, to);
  }
  return {
    systeminfo: 'AVX = 1 | ',
    model: { type: 'base', multilingual: true },
    params: { model: 'models/ggml-base.en.bin', language: 'en', translate: false },
    result: { language: 'en' },
    transcription: entries,
  };
}

function asPlan(words: readonly SpokenWord[] | readonly PlannedSegment[]): readonly PlannedSegment[] {
  const first = words[0];
  if (first === undefined) return [];
  return 'words' in first ? (words as readonly PlannedSegment[]) : planSegments(words as readonly SpokenWord[]);
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

/** Sentences a meeting has besides the generic ones: titles before names, abbreviations, figures. */
const SET_PIECES = [
  'Thank you, Mayor Emerson.',
  'Councilmember Kowalczyk moved to approve the minutes.',
  'Mr. Nguyen from St. Paul asked about item No. 5 on the consent agenda.',
  'Dr. Abdi and Mrs. Vang presented the staff report for the northern district.',
  'The vote was four vs. one, with Commissioner Przybylski opposed.',
  'Chair Lindqvist opened the public hearing at seven o’clock.',
  'We will hear from Ms. Hernández and then from Sergeant Ortiz.',
  'The resolution passed, and the Pneumonoultramicroscopicsilicovolcanoconiosis study was tabled.',
];

/** Sentences in scripts and characters CEA-608 cannot carry, which SRT and WebVTT must keep exactly. */
const OTHER_SCRIPTS = [
  '我们现在开始开会。',
  'Добрый вечер, уважаемые жители.',
  'שלום לכולם וברוכים הבאים.',
  'مرحبا بكم في الاجتماع.',
  'Great work everyone 👍🎉',
  'The Æsir œuvre costs ¼ of the budget… – really.',
];

/**
 * Meeting-like speech for the caption quality checks: the generic sentences plus set pieces
 * (titles and names, abbreviations, a word wider than a row), sentences in other scripts,
 * speakers of different speeds (about 120 to 210 words a minute), and long silences
 * (breaks, dead air) in which engines hallucinate.
 */
export function meetingSpeech(count: number, seed = 1, offset = 2): SpokenWord[] {
  const next = random(seed);
  const words: SpokenWord[] = [];
  let t = offset;
  while (words.length < count) {
    if (words.length > 0) {
      const roll = next();
      t += roll < 0.03 ? 8 + next() * 40 : roll < 0.1 ? 1.5 + next() * 2 : 0.15 + next() * 1.1;
    }
    const speed = next() < 0.15 ? 0.62 : next() < 0.3 ? 0.8 : 1;
    const roll = next();
    let sentence: string[];
    if (roll < 0.08) sentence = (SET_PIECES[Math.floor(next() * SET_PIECES.length)] ?? '').split(' ');
    else if (roll < 0.095) sentence = (OTHER_SCRIPTS[Math.floor(next() * OTHER_SCRIPTS.length)] ?? '').split(' ');
    else sentence = genericSentence(next);
    for (const text of sentence) {
      if (words.length >= count) break;
      const duration = (0.12 + Math.min(Array.from(text).length, 14) * 0.045 + next() * 0.1) * speed;
      words.push({ text, start: round(t), end: round(t + duration) });
      t += duration + next() * 0.08 * speed;
    }
  }
  return words;
}

/** Words a speaker does not stop on: no full stop or comma comes after them. */
const LEADING_WORDS = new Set(
  'the of on in to for with and which because however although whether all now during later part have will can'.split(' '),
);

function genericSentence(next: () => number): string[] {
  const length = 4 + Math.floor(next() * 14);
  const sentence: string[] = [];
  for (let i = 0; i < length; i++) {
    const last = i === length - 1;
    const comma = !last && next() < 0.08;
    let text = VOCABULARY[Math.floor(next() * VOCABULARY.length)] ?? 'word';
    while ((last || comma) && LEADING_WORDS.has(text)) text = VOCABULARY[Math.floor(next() * VOCABULARY.length)] ?? 'word';
    if (i === 0) text = (text[0]?.toUpperCase() ?? '') + text.slice(1);
    if (last) text += next() < 0.8 ? '.' : '?';
    else if (comma) text += ',';
    sentence.push(text);
  }
  return sentence;
}

/** A meeting as an engine gets it wrong, and what was really said. */
export interface TroubledMeeting {
  /** What was said, in time order: what the captions must show. */
  spoken: SpokenWord[];
  /** Segments in the order the engine lists them, with hallucinations, seek overlaps and music out of order. */
  plan: PlannedSegment[];
  /** Stretches with no speech that hallucinations were put in: nothing may be on screen there. */
  silences: [number, number][];
  /** How many hallucinated segments were put in. */
  hallucinations: number;
}

const NO_SPEECH = { noSpeechProb: 0.86, avgLogprob: -1.25, compressionRatio: 0.9, temperature: 0 };
const PLAUSIBLE = { noSpeechProb: 0.22, avgLogprob: -0.45, compressionRatio: 1.1, temperature: 0 };
const LOOPING = { noSpeechProb: 0.3, avgLogprob: -0.35, compressionRatio: 3.4, temperature: 1 };

/**
 * `meetingSpeech` with each failure mode engines show on long recordings: hallucinations
 * in long silences (Whisper's dead-air loops with its no-speech scores, repetition loops,
 * stock phrases said into silence, one phrase repeated over several segments), seek overlaps
 * (a segment repeating the last words of the one before over the same time), music segments
 * and merged passes listed out of time order, and whisper.cpp segments with `"tokens": []`.
 */
export function troubledMeeting(count: number, seed = 1): TroubledMeeting {
  const next = random(seed * 7919 + 1);
  const spoken = meetingSpeech(count, seed);
  const gaps: [number, number][] = [];
  for (let i = 1; i < spoken.length; i++) {
    const before = spoken[i - 1];
    const after = spoken[i];
    if (before && after && after.start - before.end >= 8) gaps.push([before.end, after.start]);
  }
  // Every fourth long silence holds music, the others hallucinations.
  const music = gaps.filter((_, i) => i % 4 === 3);
  const silences = gaps.filter((_, i) => i % 4 !== 3);
  for (const [from, to] of music) {
    const at = round(from + (to - from) / 2);
    spoken.push({ text: '♪♪', start: at, end: round(at + 2) });
  }
  spoken.sort((a, b) => a.start - b.start);

  const plan = planSegments(spoken);
  // Seek overlaps: the next segment repeats the last words of this one over the same time.
  for (let i = 0; i + 1 < plan.length; i++) {
    const current = plan[i];
    const following = plan[i + 1];
    if (!current || !following) break;
    const gap = (following.words[0]?.start ?? 0) - (current.words.at(-1)?.end ?? 0);
    if (next() < 0.04 && gap < 1 && current.words.length >= 4) {
      const repeated = current.words.slice(-(2 + Math.floor(next() * 3))).map((w) => ({ ...w, start: round(w.start + 0.02) }));
      following.words = [...repeated, ...following.words];
    }
  }

  const injected: PlannedSegment[] = [];
  silences.forEach(([from, to], i) => {
    const start = from + 3.5;
    const end = to - 3.5;
    const kind = i % 4;
    if (kind === 0) {
      // Whisper's dead-air loop: "Thank you." again and again, marked as no speech.
      for (let at = start; at + 1 <= end; at += 2.5) injected.push({ words: phrase('Thank you.', at, 1), ...NO_SPEECH });
    } else if (kind === 1) {
      injected.push({ words: phrase(Array.from({ length: 12 }, () => 'the').join(' '), start, Math.min(4, end - start)), ...LOOPING });
    } else if (kind === 2) {
      injected.push({ words: phrase('Thanks for watching!', start, 1.2), ...PLAUSIBLE });
    } else {
      for (let k = 0; k < 3 && start + k * 1.5 + 1 <= end; k++) {
        injected.push({ words: phrase('Please subscribe.', start + k * 1.5, 1), ...PLAUSIBLE });
      }
    }
  });
  const all = [...plan, ...injected].sort((a, b) => (a.words[0]?.start ?? 0) - (b.words[0]?.start ?? 0));
  // Out of order: music segments listed before the speech ahead of them, and merged passes.
  for (let i = 1; i < all.length; i++) {
    const current = all[i];
    if (!current) break;
    const isMusic = current.words[0]?.text === '♪♪';
    if (isMusic || next() < 0.02) {
      const back = isMusic ? 1 + Math.floor(next() * 3) : 1;
      const target = Math.max(0, i - back);
      all.splice(i, 1);
      all.splice(target, 0, current);
    }
  }
  for (const segment of all) if (next() < 0.02) segment.emptyTokens = true;
  return { spoken, plan: all, silences, hallucinations: injected.length };
}

/** A phrase's words spread evenly over `duration` seconds from `start`. */
function phrase(text: string, start: number, duration: number): SpokenWord[] {
  const parts = text.split(' ');
  const step = duration / parts.length;
  return parts.map((part, i) => ({ text: part, start: round(start + i * step), end: round(start + (i + 0.9) * step) }));
}
