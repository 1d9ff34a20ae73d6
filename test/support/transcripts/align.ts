import type { Caption } from '../../../src/lib/captions/segment.js';
import type { TranscriptWord } from '../../../src/lib/captions/transcript.js';

/**
 * The first word of each caption, found by walking the words in order through the
 * captions' text (words must be single-row and already in caption characters).
 */
export function firstWords(captions: readonly Caption[], words: readonly TranscriptWord[]): TranscriptWord[] {
  const firsts: TranscriptWord[] = [];
  let index = 0;
  for (const caption of captions) {
    const shown = caption.lines.join(' ').split(' ');
    const first = words[index];
    if (!first || first.text !== shown[0]) {
      throw new Error(`caption "${caption.lines.join(' / ')}" does not start with word ${index} "${first?.text}"`);
    }
    firsts.push(first);
    index += shown.length;
  }
  if (index !== words.length) throw new Error(`captions hold ${index} words, transcript has ${words.length}`);
  return firsts;
}
