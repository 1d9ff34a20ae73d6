import { SCREEN_COLUMNS, toSccText } from './cea608.js';
import { sccLoadFrames } from './scc-encode.js';
import type { TranscriptWord } from './transcript.js';

/**
 * One pop-on caption: shown from `start` to `end` (seconds), 1-3 rows of the transcript's
 * own text. Each row fits 32 columns both as written and as CEA-608 shows it.
 */
export interface Caption {
  start: number;
  end: number;
  lines: string[];
}

export interface SegmentOptions {
  maxRows?: 1 | 2 | 3;
}

/** Style norms (DCMP Captioning Key, FCC 79.1), in seconds and words a minute. */
export const CAPTION_TIMING = {
  /** Never on screen for less (DCMP: 1.5 s at the least). */
  minDuration: 1.5,
  /** What DCMP asks for where the speech leaves room. */
  preferredDuration: 2,
  maxDuration: 6,
  /** Presentation rate to stay under, reached by borrowing from pauses (DCMP: 150-180). */
  maxWordsPerMinute: 180,
  /** A caption stays up through a pause shorter than this, until the next one replaces it. */
  holdGap: 1.5,
  /** A pause this long always ends a caption: text after it would show long before it is said. */
  hardPause: 1.5,
  /** After its last word a caption stays this long when the next one is far off. */
  linger: 0.5,
  /** A caption may be shown this much after its first word to give the one before it its time. */
  maxLag: 1,
  /** A blank shorter than this between captions is closed, so the screen does not flicker. */
  mergeGap: 0.5,
  /** Captions never start closer together than this, so each one is on screen at all. */
  minStep: 0.1,
} as const;

/** A word as laid out: `glued` pieces continue the piece before them without a space. */
interface Token {
  text: string;
  /** Columns: the wider of the text as written and as CEA-608 shows it. */
  width: number;
  start: number;
  end: number;
  glued: boolean;
}

const ARTICLES = ['a', 'an', 'the'];
const PREPOSITIONS = [
  'of',
  'in',
  'on',
  'at',
  'to',
  'for',
  'with',
  'from',
  'by',
  'about',
  'into',
  'onto',
  'over',
  'under',
  'through',
  'between',
  'among',
  'after',
  'before',
  'during',
  'without',
  'within',
  'upon',
  'across',
  'against',
  'along',
  'around',
  'behind',
  'below',
  'beneath',
  'beside',
  'beyond',
  'near',
  'toward',
  'towards',
  'via',
  'per',
  'vs.',
];
const CONJUNCTIONS = [
  'and',
  'but',
  'or',
  'nor',
  'so',
  'yet',
  'because',
  'although',
  'though',
  'while',
  'if',
  'when',
  'whether',
  'unless',
  'since',
  'until',
  'than',
];
/** Words that lean on the word after them besides articles, prepositions and conjunctions. */
const DETERMINERS = ['my', 'your', 'our', 'their', 'his', 'her', 'its', 'this', 'these', 'those', 'that', 'every', 'each', 'very'];
/** A row or caption never ends on one of these: the reader is left waiting for what it leads to. */
const LEANING = new Set([...ARTICLES, ...PREPOSITIONS, ...CONJUNCTIONS, ...DETERMINERS]);
/** Before a break at these the reader has a phrase that stands on its own. */
const PHRASE_STARTS = new Set([...PREPOSITIONS, ...CONJUNCTIONS, 'who', 'which', 'where']);
/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATIONS = new Set([
  'mr.',
  'mrs.',
  'ms.',
  'dr.',
  'st.',
  'no.',
  'vs.',
  'jr.',
  'sr.',
  'prof.',
  'gov.',
  'sen.',
  'rep.',
  'lt.',
  'sgt.',
  'capt.',
  'mt.',
  'ft.',
  'hon.',
]);
/** Titles that stay on the row of the name after them. */
const TITLES = new Set([
  'mr.',
  'mrs.',
  'ms.',
  'dr.',
  'prof.',
  'gov.',
  'sen.',
  'rep.',
  'lt.',
  'sgt.',
  'capt.',
  'hon.',
  'st.',
  'mt.',
  'ft.',
  'mayor',
  'councilmember',
  'councilwoman',
  'councilman',
  'councilor',
  'commissioner',
  'chair',
  'chairman',
  'chairwoman',
  'chairperson',
  'senator',
  'representative',
  'judge',
  'president',
  'governor',
  'sheriff',
  'officer',
  'chief',
  'captain',
  'sergeant',
  'lieutenant',
  'superintendent',
  'director',
  'pastor',
  'father',
  'reverend',
]);

/** Break costs: 0 is a sentence end, NEVER is what the norms forbid (still possible when nothing else fits). */
const COST = { sentence: 0, clause: 2, beforeConjunction: 3, beforePreposition: 4, plain: 8, leaning: 40, titleName: 50 } as const;
/** Inside a hyphenated word: only when the word is wider than the rows a caption has. */
const UNBREAKABLE = 1000;
const CAPTION_COST = 4;

/**
 * Turns timed words into pop-on captions: each caption starts on its first word, holds at
 * most `maxRows` rows of 32 columns broken at phrase boundaries, stays up long enough to
 * read (borrowing from pauses) and through short pauses, and is cleared when speech stops.
 * Rows keep the words as written; their width counts what CEA-608 shows for them too.
 */
export function segmentCaptions(words: readonly TranscriptWord[], options: SegmentOptions = {}): Caption[] {
  const maxRows = options.maxRows ?? 2;
  const tokens = tokenize(words);
  if (tokens.length === 0) return [];
  const breakCost = boundaryCosts(tokens);
  const ends = chooseCaptionEnds(tokens, breakCost, maxRows);
  const groups: { tokens: Token[]; lines: string[] }[] = [];
  let first = 0;
  for (const end of ends) {
    const group = tokens.slice(first, end);
    groups.push({ tokens: group, lines: layoutRows(group, breakCost.slice(first, end), maxRows) });
    first = end;
  }
  return timeCaptions(groups);
}

function tokenize(words: readonly TranscriptWord[]): Token[] {
  const tokens: Token[] = [];
  for (const word of words) {
    const text = word.text.replace(/\s+/gu, '');
    if (text === '') continue;
    const width = columns(text);
    if (width <= SCREEN_COLUMNS) {
      tokens.push({ text, width, start: word.start, end: word.end, glued: false });
      continue;
    }
    // Only a word wider than a row is split: into hyphenated pieces sharing its time.
    const pieces = hyphenate(text);
    const span = word.end - word.start;
    pieces.forEach((piece, p) => {
      tokens.push({
        text: piece,
        width: columns(piece),
        start: word.start + (span * p) / pieces.length,
        end: word.start + (span * (p + 1)) / pieces.length,
        glued: p > 0,
      });
    });
  }
  return tokens;
}

/** Screen columns of a word: as written, and as CEA-608 shows it (… is three columns there). */
function columns(text: string): number {
  return Math.max(Array.from(text).length, toSccText(text).text.length);
}

/**
 * Pieces of at most one row each, every piece but the last ending in a hyphen: after a
 * hyphen the word already has where one falls in the second half of the row, else at the row's end.
 */
function hyphenate(text: string): string[] {
  const pieces: string[] = [];
  let rest = Array.from(text);
  while (columns(rest.join('')) > SCREEN_COLUMNS) {
    let cut = 0;
    while (cut < rest.length && columns(rest.slice(0, cut + 1).join('')) + 1 <= SCREEN_COLUMNS) cut++;
    const hyphen = rest.slice(0, cut + 1).lastIndexOf('-');
    if (hyphen >= SCREEN_COLUMNS / 2) {
      pieces.push(rest.slice(0, hyphen + 1).join(''));
      rest = rest.slice(hyphen + 1);
    } else {
      pieces.push(`${rest.slice(0, cut).join('')}-`);
      rest = rest.slice(cut);
    }
  }
  pieces.push(rest.join(''));
  return pieces;
}

/** Lower case without surrounding quotes and brackets; a final full stop kept (it marks abbreviations). */
function bare(text: string): string {
  return text.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}.']+$/gu, '');
}

function endsSentence(token: Token, next: Token | undefined): boolean {
  if (!/[.?!…♪]["'”’)\]]*$/u.test(token.text)) return false;
  const word = bare(token.text);
  if (!ABBREVIATIONS.has(word)) return true;
  // "No." is an answer unless a number follows it.
  return word === 'no.' && !/^\p{N}/u.test(next?.text ?? '');
}

/**
 * cost[k] = how bad it is to break between token k-1 and token k (cost[0] is unused):
 * cheap after sentence ends and clause punctuation, then before conjunctions and
 * prepositions; cheaper where the speaker paused, except where the norms forbid a break
 * (after an article, preposition or conjunction; between a title and a name).
 */
function boundaryCosts(tokens: readonly Token[]): number[] {
  const costs = [0];
  for (let k = 1; k < tokens.length; k++) {
    const before = tokens[k - 1];
    const after = tokens[k];
    if (!before || !after || after.glued) {
      costs.push(UNBREAKABLE);
      continue;
    }
    const word = bare(before.text);
    let cost: number;
    let forbidden = false;
    if (endsSentence(before, after)) cost = COST.sentence;
    else if (TITLES.has(word) && /^["'“‘(]?\p{Lu}/u.test(after.text)) [cost, forbidden] = [COST.titleName, true];
    else if (/[,;:—-]["'”’)\]]*$/u.test(before.text)) cost = COST.clause;
    else if (LEANING.has(word) || ABBREVIATIONS.has(word)) [cost, forbidden] = [COST.leaning, true];
    else if (PHRASE_STARTS.has(bare(after.text)))
      cost = CONJUNCTIONS.includes(bare(after.text)) ? COST.beforeConjunction : COST.beforePreposition;
    else cost = COST.plain;
    if (!forbidden) cost = Math.max(0, cost - Math.min(6, (after.start - before.end) * 12));
    // Breaking between words said at the same instant would give a caption no screen time.
    if (after.start - before.start < CAPTION_TIMING.minStep) cost += 40;
    costs.push(cost);
  }
  return costs;
}

/**
 * Dynamic programme over caption boundaries; returns the exclusive end index of each caption.
 * A caption's cost counts its closing break, the best breaks between its rows, and how far
 * it strays from the timing norms given the time until the next caption's first word.
 */
function chooseCaptionEnds(tokens: readonly Token[], breakCost: readonly number[], maxRows: number): number[] {
  const n = tokens.length;
  const width = rowWidthOf(tokens);
  const best = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(n + 1).fill(-1);
  const twoRows = new Float64Array(n + 1);
  const { minDuration, preferredDuration, maxDuration, maxWordsPerMinute, hardPause } = CAPTION_TIMING;
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    const base = best[i] ?? Number.POSITIVE_INFINITY;
    const first = tokens[i];
    if (base === Number.POSITIVE_INFINITY || !first) continue;
    let wordCount = 0;
    for (let end = i + 1; end <= n; end++) {
      const last = tokens[end - 1];
      const previous = tokens[end - 2];
      if (!last) break;
      if (end - 1 > i && previous && last.start - previous.end >= hardPause) break;
      if (!last.glued) wordCount++;
      const rows = rowBreakCost(i, end, maxRows, width, breakCost, twoRows);
      if (rows === Number.POSITIVE_INFINITY) break;
      const next = tokens[end];
      const span = last.end - first.start;
      let cost = base + CAPTION_COST + rows;
      if (next) {
        const pause = next.start - last.end;
        if (pause < hardPause) cost += breakCost[end] ?? 0;
        // The caption can stay until the next one starts (a long pause is borrowed only in part).
        const available = next.start - first.start - (pause >= hardPause ? pause - CAPTION_TIMING.linger : 0);
        const roomy = Math.max(available, span + (pause >= hardPause ? pause : 0));
        if (available < minDuration && roomy < minDuration) cost += 30 + (minDuration - roomy) * 40;
        if (roomy < preferredDuration) cost += (preferredDuration - roomy) * 6;
        const needed = (wordCount * 60) / maxWordsPerMinute;
        if (roomy < needed) cost += (needed - roomy) * 20;
      }
      if (span > maxDuration) cost += (span - maxDuration) * 10;
      if (cost < (best[end] ?? Number.POSITIVE_INFINITY)) {
        best[end] = cost;
        from[end] = i;
      }
      if (span > maxDuration * 2) break;
    }
  }
  const ends: number[] = [];
  for (let end = n; end > 0; end = from[end] ?? 0) ends.push(end);
  return ends.reverse();
}

/**
 * Cheapest way to put tokens [start, end) on at most `maxRows` rows (each extra row costs a
 * little), or infinity when they do not fit. `twoRows[t]` caches the two-row cost of
 * [start, t) for the current `start`; callers grow `end` one token at a time.
 */
function rowBreakCost(
  start: number,
  end: number,
  maxRows: number,
  width: (from: number, to: number) => number,
  breakCost: readonly number[],
  twoRows: Float64Array,
): number {
  const INF = Number.POSITIVE_INFINITY;
  const one = width(start, end) <= SCREEN_COLUMNS ? 0 : INF;
  let two = INF;
  let three = INF;
  for (let a = end - 1; a > start && width(a, end) <= SCREEN_COLUMNS; a--) {
    const cost = breakCost[a] ?? INF;
    if (width(start, a) <= SCREEN_COLUMNS) two = Math.min(two, cost);
    if (a > start + 1) three = Math.min(three, (twoRows[a] ?? INF) + cost);
  }
  twoRows[end] = two;
  if (maxRows < 2) return one;
  if (maxRows < 3) return Math.min(one, 2 + two / 2);
  return Math.min(one, 2 + two / 2, 4 + three / 2);
}

/** Columns taken by tokens [from, to) on one row, in O(1) from prefix sums. */
function rowWidthOf(tokens: readonly Token[]): (from: number, to: number) => number {
  const position = new Float64Array(tokens.length + 1);
  let sum = 0;
  tokens.forEach((token, k) => {
    sum += token.width + (k > 0 && !token.glued ? 1 : 0);
    position[k + 1] = sum;
  });
  return (from, to) => (position[to] ?? 0) - (position[from] ?? 0) - (from > 0 && tokens[from]?.glued === false ? 1 : 0);
}

/**
 * Splits one caption's tokens into rows: the fewest rows that fit unless one more row buys
 * a clearly better phrase break, rows roughly balanced.
 */
function layoutRows(tokens: readonly Token[], breakCost: readonly number[], maxRows: number): string[] {
  const width = rowWidthOf(tokens);
  const n = tokens.length;
  let bestCost = Number.POSITIVE_INFINITY;
  let bestBreaks: number[] = [];
  const consider = (breaks: number[]): void => {
    const bounds = [0, ...breaks, n];
    let cost = breaks.length * 3;
    let longest = 0;
    let shortest = Number.POSITIVE_INFINITY;
    for (let r = 0; r + 1 < bounds.length; r++) {
      const w = width(bounds[r] ?? 0, bounds[r + 1] ?? 0);
      if (w > SCREEN_COLUMNS) return;
      longest = Math.max(longest, w);
      shortest = Math.min(shortest, w);
    }
    for (const b of breaks) cost += breakCost[b] ?? UNBREAKABLE;
    cost += (longest - shortest) / 6;
    if (cost < bestCost) {
      bestCost = cost;
      bestBreaks = breaks;
    }
  };
  consider([]);
  if (maxRows >= 2) for (let a = 1; a < n; a++) consider([a]);
  if (maxRows >= 3) for (let a = 1; a < n; a++) for (let b = a + 1; b < n; b++) consider([a, b]);
  const bounds = [0, ...bestBreaks, n];
  const rows: string[] = [];
  for (let r = 0; r + 1 < bounds.length; r++) rows.push(joinTokens(tokens.slice(bounds[r], bounds[r + 1])));
  return rows;
}

function joinTokens(tokens: readonly Token[]): string {
  return tokens.map((t, i) => (i > 0 && !t.glued ? ` ${t.text}` : t.text)).join('');
}

/**
 * Display times. A caption appears on its first word, or a little later when the caption
 * before it needs the time on screen or the SCC channel needs the time to load it; it stays
 * until its last word is said, through a pause under `holdGap` until the next caption, and
 * otherwise a little longer, long enough to read at `maxWordsPerMinute`, never over the next.
 */
function timeCaptions(groups: readonly { tokens: Token[]; lines: string[] }[]): Caption[] {
  const { minDuration, preferredDuration, maxDuration, maxWordsPerMinute, holdGap, linger, maxLag, mergeGap, minStep } = CAPTION_TIMING;
  const captions: Caption[] = [];
  let previousStart = Number.NEGATIVE_INFINITY;
  for (const group of groups) {
    const first = group.tokens[0]?.start ?? 0;
    const earliest = Math.max(first, previousStart + minStep, previousStart + sccLoadFrames(group.lines) / (30000 / 1001));
    const wanted = Math.max(earliest, Math.min(first + maxLag, previousStart + minDuration));
    captions.push({ start: wanted, end: 0, lines: group.lines });
    previousStart = wanted;
  }
  captions.forEach((caption, index) => {
    const group = groups[index];
    const lastWordEnd = group?.tokens.at(-1)?.end ?? caption.start;
    const words = group?.tokens.filter((t) => !t.glued).length ?? 0;
    const next = captions[index + 1];
    const nextFirst = groups[index + 1]?.tokens[0]?.start;
    const reading = Math.min(maxDuration, Math.max(preferredDuration, (words * 60) / maxWordsPerMinute));
    let end = Math.max(lastWordEnd + linger, caption.start + reading);
    if (next && nextFirst !== undefined) {
      if (nextFirst - lastWordEnd < holdGap) end = next.start;
      end = Math.min(end, next.start);
      if (next.start - end < mergeGap) end = next.start;
    }
    caption.end = Math.max(end, caption.start + minStep);
  });
  return captions;
}
