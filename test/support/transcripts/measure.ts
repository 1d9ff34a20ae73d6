/**
 * The "Done when" figures, measured from outside the segmenter: what was said,
 * the captions made of it, and the captions as a decoder played them back. The word lists
 * below are the test's own (articles, prepositions, conjunctions), not the segmenter's.
 */
import type { Caption } from '../../../src/lib/captions/segment.js';
import type { TranscriptWord } from '../../../src/lib/captions/transcript.js';

export interface PlayedCaption {
  start: number;
  end: number;
  lines: string[];
}

const FUNCTION_WORDS = new Set(
  (
    'a an the of in on at to for with from by about into onto over under through between among after before during ' +
    'without within upon across against along around behind below beyond near toward towards via and but or nor ' +
    'so yet because although though while if when whether unless since until than'
  ).split(' '),
);

/**
 * Each caption's first and last word in `words` and how many words start in it, walking the
 * words in order through the captions' text; a word wider than a row is shown as hyphenated
 * pieces, glued back here (even across captions).
 */
export function captionWords(
  captions: readonly Caption[],
  words: readonly TranscriptWord[],
): { first: TranscriptWord; last: TranscriptWord; count: number }[] {
  const pieces = captions.flatMap((caption, index) =>
    caption.lines
      .join(' ')
      .split(' ')
      .map((text) => ({ text, index })),
  );
  const spans: { first: TranscriptWord; last: TranscriptWord; count: number }[] = [];
  let p = 0;
  for (const word of words) {
    const start = pieces[p];
    if (!start) throw new Error(`captions end before word "${word.text}"`);
    let shown = start.text;
    p++;
    while (shown !== word.text && shown.endsWith('-') && word.text.startsWith(shown.slice(0, -1)) && pieces[p]) {
      // The hyphen is the word's own, or one added to break it.
      const rest = pieces[p]?.text ?? '';
      shown = word.text.startsWith(shown + rest) ? shown + rest : shown.slice(0, -1) + rest;
      p++;
    }
    if (shown !== word.text) throw new Error(`caption ${start.index} shows "${shown}" where the transcript has "${word.text}"`);
    const span = spans[start.index];
    if (span) {
      span.last = word;
      span.count++;
    } else if (start.index === spans.length) {
      spans.push({ first: word, last: word, count: 1 });
    } else {
      throw new Error(`caption ${spans.length} shows no word of its own`);
    }
  }
  if (p !== pieces.length || spans.length !== captions.length)
    throw new Error(`captions show ${pieces.length - p} words more than the transcript has`);
  return spans;
}

export interface TimingFigures {
  captions: number;
  /** Share of captions shown within 0.2 s of their first word, and the worst lateness (s). */
  within200ms: number;
  worstLate: number;
  /** Earliest a caption was shown before its first word (s, positive = early). */
  worstEarly: number;
  under1_5s: number;
  twoRowFunctionWordBreaks: number;
  over200wpm: number;
  /** Of the pauses under 1.5 s between one caption's last word and the next's first, the share with a blank screen. */
  shortPausesBlank: number;
}

/** Figures for `played` (decoded, one per caption, in order) against the words the captions were made of. */
export function timingFigures(
  captions: readonly Caption[],
  played: readonly PlayedCaption[],
  words: readonly TranscriptWord[],
): TimingFigures {
  if (played.length !== captions.length) throw new Error(`played ${played.length} captions of ${captions.length}`);
  const spans = captionWords(captions, words);
  let within = 0;
  let worstLate = 0;
  let worstEarly = 0;
  let short = 0;
  let fast = 0;
  let twoRow = 0;
  let badBreaks = 0;
  let shortPauses = 0;
  let blanks = 0;
  played.forEach((shown, i) => {
    const span = spans[i];
    if (!span) return;
    const late = shown.start - span.first.start;
    if (late <= 0.2) within++;
    worstLate = Math.max(worstLate, late);
    worstEarly = Math.max(worstEarly, -late);
    const duration = shown.end - shown.start;
    if (duration < 1.5 - 1e-9) short++;
    if ((span.count * 60) / duration > 200) fast++;
    const lines = captions[i]?.lines ?? [];
    if (lines.length === 2) {
      twoRow++;
      const lastWord = (lines[0]?.split(' ').at(-1) ?? '').toLowerCase().replace(/[^a-z]/g, '');
      if (FUNCTION_WORDS.has(lastWord)) badBreaks++;
    }
    const next = played[i + 1];
    const nextSpan = spans[i + 1];
    if (next && nextSpan && nextSpan.first.start - span.last.end < 1.5) {
      shortPauses++;
      if (next.start - shown.end > 1e-6) blanks++;
    }
  });
  return {
    captions: played.length,
    within200ms: within / played.length,
    worstLate,
    worstEarly,
    under1_5s: short / played.length,
    twoRowFunctionWordBreaks: twoRow === 0 ? 0 : badBreaks / twoRow,
    over200wpm: fast / played.length,
    shortPausesBlank: shortPauses === 0 ? 0 : blanks / shortPauses,
  };
}

/** Lower case, letters and digits only: how readers' glyph differences (’ vs ') are set aside. */
export function comparable(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Share of `expected` words found in `shown`, in order: each expected word is looked for a
 * little way ahead of the last one found (a missing or extra word costs itself, not the rest).
 */
export function shareInOrder(expected: readonly string[], shown: readonly string[], lookahead = 40): number {
  const wanted = expected.map(comparable).filter((w) => w !== '');
  const seen = shown.map(comparable).filter((w) => w !== '');
  let position = 0;
  let found = 0;
  wanted.forEach((word, i) => {
    const limit = Math.min(seen.length, position + lookahead);
    for (let k = position; k < limit; k++) {
      // Skipping ahead needs the next word to agree too, or a common word far ahead would lose the thread.
      if (seen[k] === word && (k === position || i + 1 === wanted.length || seen[k + 1] === wanted[i + 1])) {
        found++;
        position = k + 1;
        break;
      }
    }
  });
  return wanted.length === 0 ? 1 : found / wanted.length;
}

/** Captions that start inside a silence (away from its edges): what a hallucination on screen looks like. */
export function captionsInSilence(
  played: readonly PlayedCaption[],
  silences: readonly (readonly [number, number])[],
  margin = 1,
): PlayedCaption[] {
  return played.filter((caption) => silences.some(([from, to]) => caption.start > from + margin && caption.start < to - margin));
}
