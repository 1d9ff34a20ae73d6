import type { TranscriptWord } from '../captions/transcript.js';

/** A paragraph of a transcript: consecutive words, the time of its first word and the end of its last. */
export interface Paragraph {
  start: number;
  end: number;
  words: TranscriptWord[];
}

/**
 * Where a transcript breaks into paragraphs. A clerk reads a new paragraph where the speaker
 * pauses; a long stretch without one still breaks at a sentence end, so no paragraph (and no
 * search passage) grows past a screenful.
 */
export const PARAGRAPH_RULES = {
  /** Silence between two words that starts a new paragraph, in seconds. */
  pauseSeconds: 2,
  /** Past this many words a sentence end starts a new paragraph. */
  softWords: 120,
  /** A paragraph never holds more words (a speaker who never ends a sentence). */
  hardWords: 250,
} as const;

const SENTENCE_END = /[.?!…]["'”’)\]]*$/u;

export function endsSentence(text: string): boolean {
  return SENTENCE_END.test(text);
}

/** The words in paragraphs, in order; every word is in exactly one. */
export function paragraphs(words: readonly TranscriptWord[], rules: typeof PARAGRAPH_RULES = PARAGRAPH_RULES): Paragraph[] {
  const result: Paragraph[] = [];
  let current: TranscriptWord[] = [];
  const close = (): void => {
    const first = current[0];
    const last = current.at(-1);
    if (first && last) result.push({ start: first.start, end: last.end, words: current });
    current = [];
  };
  for (const word of words) {
    const previous = current.at(-1);
    if (previous) {
      const paused = word.start - previous.end >= rules.pauseSeconds;
      const long = current.length >= rules.softWords && endsSentence(previous.text);
      if (paused || long || current.length >= rules.hardWords) close();
    }
    current.push(word);
  }
  close();
  return result;
}
