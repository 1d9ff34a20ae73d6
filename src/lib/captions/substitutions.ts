import type { Transcript, TranscriptWord } from './transcript.js';

/** Find `from` (whole words, any case) and put `to` in its place: `Council member` -> `Councilmember`. */
export interface Substitution {
  from: string;
  to: string;
}

export interface SubstitutionResult {
  transcript: Transcript;
  /** How many times a rule matched. */
  replaced: number;
}

interface Rule {
  from: string[];
  to: string[];
}

/**
 * Applies find-and-replace rules to the transcript's words. A rule matches whole words,
 * ignoring case and the punctuation around them, and may span several words (which become
 * the replacement's words, sharing their time). The replacement is written as given, except
 * that an all-capitals match gives capitals and a lower-case replacement takes the match's
 * capital first letter (at a sentence start). The earliest, then longest, rule wins; rules
 * do not apply to their own replacements.
 */
export function applySubstitutions(transcript: Transcript, substitutions: readonly Substitution[]): SubstitutionResult {
  const byFirst = new Map<string, Rule[]>();
  for (const { from, to } of substitutions) {
    const rule = {
      from: from
        .split(/\s+/u)
        .filter((w) => w !== '')
        .map(key),
      to: to.split(/\s+/u).filter((w) => w !== ''),
    };
    const first = rule.from[0];
    if (first === undefined || first === '') throw new RangeError(`substitution "${from}" -> "${to}" has nothing to find`);
    byFirst.set(
      first,
      [...(byFirst.get(first) ?? []), rule].sort((a, b) => b.from.length - a.from.length),
    );
  }
  if (byFirst.size === 0) return { transcript, replaced: 0 };

  const words = transcript.words;
  const out: TranscriptWord[] = [];
  let replaced = 0;
  for (let i = 0; i < words.length;) {
    const word = words[i];
    if (!word) break;
    const rule = byFirst.get(key(word.text))?.find((r) => matches(words, i, r.from));
    if (!rule) {
      out.push(word);
      i++;
      continue;
    }
    out.push(...replacement([word, ...words.slice(i + 1, i + rule.from.length)], rule.to));
    replaced++;
    i += rule.from.length;
  }
  return replaced === 0 ? { transcript, replaced } : { transcript: { ...transcript, words: out }, replaced };
}

/** Word `i` on match `from`, with no punctuation inside the match (between its words). */
function matches(words: readonly TranscriptWord[], i: number, from: readonly string[]): boolean {
  return from.every((wanted, k) => {
    const word = words[i + k];
    if (!word || key(word.text) !== wanted) return false;
    const { before, after } = split(word.text);
    return (k === 0 || before === '') && (k === from.length - 1 || after === '');
  });
}

function replacement(matched: readonly [TranscriptWord, ...TranscriptWord[]], to: readonly string[]): TranscriptWord[] {
  const first = matched[0];
  const last = matched.at(-1) ?? first;
  const { before, core } = split(first.text);
  const { after } = split(last.text);
  const probabilities = matched.map((w) => w.probability).filter((p) => p !== undefined);
  const span = last.end - first.start;
  return to.map((text, k) => {
    let shown = caseLike(core, text, k === 0);
    if (k === 0) shown = before + shown;
    if (k === to.length - 1) shown += after;
    const word: TranscriptWord = {
      text: shown,
      start: first.start + (span * k) / to.length,
      end: first.start + (span * (k + 1)) / to.length,
    };
    if (probabilities.length > 0) word.probability = Math.min(...probabilities);
    if (first.segment !== undefined) word.segment = first.segment;
    return word;
  });
}

function caseLike(matched: string, text: string, first: boolean): string {
  const letters = matched.replace(/[^\p{L}]/gu, '');
  if (letters.length > 1 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return text.toUpperCase();
  if (first && text === text.toLowerCase() && /^\p{Lu}/u.test(matched)) return (text[0]?.toUpperCase() ?? '') + text.slice(1);
  return text;
}

/** Leading punctuation, the word, trailing punctuation. */
function split(text: string): { before: string; core: string; after: string } {
  const match = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(text);
  return { before: match?.[1] ?? '', core: match?.[2] ?? text, after: match?.[3] ?? '' };
}

function key(text: string): string {
  return split(text).core.toLowerCase();
}
