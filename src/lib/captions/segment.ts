import { itemAt, valueAt } from '../item-at.js';
import { SCREEN_COLUMNS, toCaptionText } from './cea608.js';
import type { TranscriptWord } from './transcript.js';

/** One pop-on caption: shown from `start` to `end` (seconds), 1-3 rows of at most 32 columns. */
export interface Caption {
  start: number;
  end: number;
  lines: string[];
}

export interface SegmentOptions {
  maxRows?: 1 | 2 | 3;
}

/** Style norms (DCMP Captioning Key, FCC 79.1), in seconds and characters per second. */
export const CAPTION_TIMING = {
  minDuration: 1.5,
  maxDuration: 6,
  maxReadingRate: 20,
  /** Gaps shorter than this between captions are closed, so the screen does not flicker. */
  mergeGap: 0.5,
  /** A pause this long always ends a caption: text after it would show long before it is said. */
  hardPause: 1.0,
  /** Captions never start closer together than this, so each one is on screen at all. */
  minStep: 0.1,
} as const;

/** A word as laid out: `glued` pieces continue the piece before them without a space. */
interface Token {
  text: string;
  start: number;
  end: number;
  glued: boolean;
}

const CONJUNCTIONS = new Set([
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
  'that',
  'which',
  'who',
  'whom',
  'whose',
  'where',
  'unless',
  'since',
  'until',
  'than',
  'then',
]);
const PREPOSITIONS = new Set([
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
  'as',
  'after',
  'before',
  'during',
  'without',
  'within',
]);
/** Words that lean on the word after them; ending a row or caption on one reads badly. */
const LEANING = new Set([
  'a',
  'an',
  'the',
  'my',
  'your',
  'our',
  'their',
  'his',
  'her',
  'its',
  'this',
  'these',
  'those',
  'mr.',
  'mrs.',
  'ms.',
  'dr.',
  'st.',
  'to',
  'of',
  'and',
  'or',
  'but',
  'in',
  'on',
  'at',
  'for',
  'with',
  'from',
  'by',
  'i',
  "i'm",
  'we',
  'very',
  'no',
  'not',
]);

const CAPTION_COST = 4;
const UNBREAKABLE = 60;

/**
 * Turns timed words into pop-on captions: each caption starts on its first word, holds at
 * most `maxRows` rows of 32 columns broken at phrase boundaries, stays up long enough to
 * read and is cleared when speech stops. Text is rewritten into CEA-608's character set so
 * every format shows the same thing and a row's length is its width on screen.
 */
export function segmentCaptions(words: readonly TranscriptWord[], options: SegmentOptions = {}): Caption[] {
  const maxRows = options.maxRows ?? 2;
  const tokens = tokenize(words);
  if (tokens.length === 0) return [];
  const breakCost = boundaryCosts(tokens);
  const ends = chooseCaptionEnds(tokens, breakCost, maxRows);
  const captions: Caption[] = [];
  let first = 0;
  for (const end of ends) {
    const group = tokens.slice(first, end);
    captions.push({
      start: group[0]?.start ?? 0,
      end: group.at(-1)?.end ?? 0,
      lines: layoutRows(group, breakCost.slice(first, end), maxRows),
    });
    first = end;
  }
  return timeCaptions(captions);
}

function tokenize(words: readonly TranscriptWord[]): Token[] {
  const tokens: Token[] = [];
  for (const word of words) {
    const text = toCaptionText(word.text).replace(/\s+/gu, '');
    if (text === '') continue;
    if (text.length <= SCREEN_COLUMNS) {
      tokens.push({ text, start: word.start, end: word.end, glued: false });
      continue;
    }
    // Only a word wider than a row may be split, into row-wide pieces sharing its time.
    const pieces = Math.ceil(text.length / SCREEN_COLUMNS);
    const span = word.end - word.start;
    for (let p = 0; p < pieces; p++) {
      tokens.push({
        text: text.slice(p * SCREEN_COLUMNS, (p + 1) * SCREEN_COLUMNS),
        start: word.start + (span * p) / pieces,
        end: word.start + (span * (p + 1)) / pieces,
        glued: p > 0,
      });
    }
  }
  return tokens;
}

function bare(text: string): string {
  return text.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}.']+$/gu, '');
}

/**
 * cost[k] = how bad it is to break between token k-1 and token k (cost[0] is unused):
 * cheap after sentence ends and clause punctuation, then before conjunctions and
 * prepositions, and cheaper still where the speaker paused.
 */
function boundaryCosts(tokens: readonly Token[]): number[] {
  return tokens.map((after, k) => {
    const before = tokens[k - 1];
    return before ? boundaryCost(before, after) : 0;
  });
}

function boundaryCost(before: Token, after: Token): number {
  if (after.glued) return UNBREAKABLE;
  let cost: number;
  if (/[.?!…♪]["'”’)\]]*$/u.test(before.text)) cost = 0;
  else if (/[,;:—-]["'”’)\]]*$/u.test(before.text)) cost = 2;
  else if (LEANING.has(bare(before.text))) cost = 12;
  else if (CONJUNCTIONS.has(bare(after.text))) cost = 4;
  else if (PREPOSITIONS.has(bare(after.text))) cost = 5;
  else cost = 8;
  const pause = after.start - before.end;
  cost = Math.max(0, cost - Math.min(6, pause * 12));
  // Breaking between words said at the same instant would give a caption no screen time.
  if (after.start - before.start < CAPTION_TIMING.minStep) cost += 40;
  return cost;
}

/**
 * Dynamic programme over caption boundaries; returns the exclusive end index of each caption.
 * A caption's cost counts its closing break, the best breaks between its rows, and how far
 * it strays from the timing norms.
 */
function chooseCaptionEnds(tokens: readonly Token[], breakCost: readonly number[], maxRows: number): number[] {
  const n = tokens.length;
  const width = rowWidthOf(tokens);
  const best = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  // A Float64Array like the other tables, so that valueAt reads them all (see item-at.ts).
  const from = new Float64Array(n + 1).fill(-1);
  const twoRows = new Float64Array(n + 1);
  best[0] = 0;
  for (const [i, first] of tokens.entries()) {
    const base = valueAt(best, i);
    if (base === Number.POSITIVE_INFINITY) continue;
    let last = first;
    for (let end = i + 1; end <= n; end++) {
      const previous = last;
      last = itemAt(tokens, end - 1);
      if (end - 1 > i && last.start - previous.end >= CAPTION_TIMING.hardPause) break;
      const rows = rowBreakCost(i, end, maxRows, width, breakCost, twoRows);
      if (rows === Number.POSITIVE_INFINITY) break;
      const next = tokens[end];
      const span = last.end - first.start;
      let cost = base + CAPTION_COST + rows;
      if (next) {
        const hard = next.start - last.end >= CAPTION_TIMING.hardPause;
        if (!hard) cost += itemAt(breakCost, end);
        const available = next.start - first.start;
        if (available < CAPTION_TIMING.minDuration) cost += (CAPTION_TIMING.minDuration - available) * 8;
        const readable = width(i, end) / CAPTION_TIMING.maxReadingRate;
        if (available < readable) cost += (readable - available) * 3;
      }
      if (span > CAPTION_TIMING.maxDuration) cost += (span - CAPTION_TIMING.maxDuration) * 10;
      if (cost < valueAt(best, end)) {
        best[end] = cost;
        from[end] = i;
      }
      if (span > CAPTION_TIMING.maxDuration * 2) break;
    }
  }
  const ends: number[] = [];
  for (let end = n; end > 0; end = valueAt(from, end)) ends.push(end);
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
    if (width(start, a) <= SCREEN_COLUMNS) two = Math.min(two, itemAt(breakCost, a));
    if (a > start + 1) three = Math.min(three, valueAt(twoRows, a) + itemAt(breakCost, a));
  }
  twoRows[end] = two;
  if (maxRows < 2) return one;
  if (maxRows < 3) return Math.min(one, 2 + two / 2);
  return Math.min(one, 2 + two / 2, 4 + three / 2);
}

/** Columns taken by tokens [from, to) on one row, in O(1) from prefix sums. */
function rowWidthOf(tokens: readonly Token[]): (from: number, to: number) => number {
  const position = new Float64Array(tokens.length + 1);
  tokens.forEach((token, k) => {
    position[k + 1] = valueAt(position, k) + token.text.length + (k > 0 && !token.glued ? 1 : 0);
  });
  return (from, to) => valueAt(position, to) - valueAt(position, from) - (from > 0 && !itemAt(tokens, from).glued ? 1 : 0);
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
      const w = width(itemAt(bounds, r), itemAt(bounds, r + 1));
      if (w > SCREEN_COLUMNS) return;
      longest = Math.max(longest, w);
      shortest = Math.min(shortest, w);
    }
    for (const b of breaks) cost += itemAt(breakCost, b);
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
 * Display times: from the first word until the last word is said, held for a minimum and
 * for reading time where silence allows, never over the next caption, and joined to the
 * next caption across short gaps.
 */
function timeCaptions(captions: Caption[]): Caption[] {
  const { minDuration, maxDuration, maxReadingRate, mergeGap, minStep } = CAPTION_TIMING;
  let previousStart = Number.NEGATIVE_INFINITY;
  for (const caption of captions) {
    caption.start = Math.max(caption.start, previousStart + minStep);
    previousStart = caption.start;
  }
  captions.forEach((caption, index) => {
    const chars = caption.lines.reduce((sum, line) => sum + line.length, 0);
    const hold = Math.min(maxDuration, Math.max(minDuration, chars / maxReadingRate));
    let end = Math.max(caption.end, caption.start + hold);
    const next = captions[index + 1];
    if (next) {
      end = Math.min(end, next.start);
      if (next.start - end < mergeGap) end = next.start;
    }
    caption.end = Math.max(end, caption.start + minStep);
  });
  return captions;
}
