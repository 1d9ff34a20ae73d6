import { endsSentence } from '../transcript/paragraphs.js';
import type { Phrase } from './tsquery.js';

/** The matched words of a passage: the first and last word index (inclusive). */
export interface MatchSpan {
  first: number;
  last: number;
}

/**
 * Where a passage matches: each phrase's first occurrence (its terms on consecutive words,
 * stop words between them counted as PostgreSQL counts them), spanning from the earliest
 * matched word to the last word of the latest phrase. `lexemes` holds, for each word index
 * that has any, the query lexemes the word yields. A passage the database matched but whose
 * words cannot be lined up with the phrase (a word PostgreSQL splits in two, such as
 * "don't") falls back to its first word holding a query lexeme.
 */
export function locateMatch(phrases: readonly Phrase[], lexemes: ReadonlyMap<number, ReadonlySet<string>>): MatchSpan | undefined {
  let span: MatchSpan | undefined;
  const indexes = [...lexemes.keys()].sort((a, b) => a - b);
  for (const phrase of phrases) {
    const [head] = phrase;
    if (!head) continue;
    const at = indexes.find((i) => phrase.every((term) => lexemes.get(i + term.offset)?.has(term.lexeme) === true));
    if (at === undefined) continue;
    const first = at;
    const last = at + (phrase.at(-1)?.offset ?? 0);
    span = span ? { first: Math.min(span.first, first), last: Math.max(span.last, last) } : { first, last };
  }
  if (span) return span;
  const [fallback] = indexes;
  return fallback === undefined ? undefined : { first: fallback, last: fallback };
}

/** Words either side of a match shown at most, when the sentence around it runs on. */
const CONTEXT_WORDS = 25;

/** The marks around the matched words in a hit's `text`. */
export const MATCH_MARKS = { open: '«', close: '»' } as const;

/**
 * The sentence (or sentences) around the match, the matched words between « and ». A sentence
 * that runs on is cut to 25 words either side, the cut shown as "…".
 */
export function matchSentence(words: readonly string[], span: MatchSpan): string {
  let from = span.first;
  while (from > 0 && span.first - from < CONTEXT_WORDS && !endsSentence(words[from - 1] ?? '')) from--;
  let to = span.last;
  while (to < words.length - 1 && to - span.last < CONTEXT_WORDS && !endsSentence(words[to] ?? '')) to++;
  const before = words.slice(from, span.first);
  const matched = words.slice(span.first, span.last + 1);
  const after = words.slice(span.last + 1, to + 1);
  const cutBefore = from > 0 && !endsSentence(words[from - 1] ?? '');
  const cutAfter = to < words.length - 1 && !endsSentence(words[to] ?? '');
  return [
    ...(cutBefore ? ['…'] : []),
    ...before,
    `${MATCH_MARKS.open}${matched.join(' ')}${MATCH_MARKS.close}`,
    ...after,
    ...(cutAfter ? ['…'] : []),
  ].join(' ');
}
