import { SCREEN_COLUMNS } from '../captions/cea608.js';
import type { Caption } from '../captions/segment.js';
import type { TranscriptWord } from '../captions/transcript.js';

/** Words filled into rows of at most 32 columns; a longer word is cut across rows. */
function rows(text: string): string[] {
  const result: string[] = [];
  let row = '';
  for (let word of text.split(/\s+/u).filter((w) => w !== '')) {
    while (word.length > SCREEN_COLUMNS) {
      if (row !== '') result.push(row);
      result.push(word.slice(0, SCREEN_COLUMNS));
      word = word.slice(SCREEN_COLUMNS);
      row = '';
    }
    if (row !== '' && row.length + 1 + word.length > SCREEN_COLUMNS) {
      result.push(row);
      row = word;
    } else row = row === '' ? word : `${row} ${word}`;
  }
  if (row !== '') result.push(row);
  return result;
}

/**
 * An editor's cues as CEA-608 can show them: rows of at most 32 columns and `maxRows` rows a
 * caption. A cue that fits keeps its lines; one that does not is filled again, and when it
 * needs more rows it becomes several captions sharing its time by the length of their text.
 */
export function fitCues(cues: readonly Caption[], maxRows: number): Caption[] {
  return cues.flatMap((cue) => {
    if (cue.lines.length <= maxRows && cue.lines.every((line) => line.length <= SCREEN_COLUMNS)) return [cue];
    const filled = rows(cue.lines.join(' '));
    const groups: string[][] = [];
    for (let i = 0; i < filled.length; i += maxRows) groups.push(filled.slice(i, i + maxRows));
    const total = filled.reduce((sum, row) => sum + row.length, 0);
    let at = cue.start;
    return groups.map((group) => {
      const share = total > 0 ? group.reduce((sum, row) => sum + row.length, 0) / total : 1 / groups.length;
      const start = at;
      at += (cue.end - cue.start) * share;
      return { start, end: at, lines: group };
    });
  });
}

/**
 * The words of edited captions, for search: each cue's words timed across the cue by their
 * place in its text (an editor's file times cues, not words).
 */
export function cueWords(cues: readonly Caption[]): TranscriptWord[] {
  return cues.flatMap((cue) => {
    const words = cue.lines
      .join(' ')
      .split(/\s+/u)
      .filter((w) => w !== '');
    const length = words.reduce((sum, word) => sum + word.length + 1, 0);
    const duration = cue.end - cue.start;
    let offset = 0;
    return words.map((text) => {
      const start = cue.start + (duration * offset) / length;
      offset += text.length + 1;
      return { text, start, end: cue.start + (duration * (offset - 1)) / length };
    });
  });
}
