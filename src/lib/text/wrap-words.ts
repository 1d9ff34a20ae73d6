import type { LineWidth } from './line-width.js';

/** Width on a terminal, counted in code points (the text is terminal-safe by then). */
export function textWidth(text: string): number {
  return Array.from(text).length;
}

/**
 * A word too long for the width, shortened with an ellipsis rather than split over lines:
 * a path keeps its end (the file's name says more than its folders), other words their start.
 */
export function shortenWord(word: string, width: number, keep: 'start' | 'end' = 'start'): string {
  const chars = Array.from(word);
  if (chars.length <= width) return word;
  if (width <= 1) return '…';
  return keep === 'end' ? `…${chars.slice(chars.length - width + 1).join('')}` : `${chars.slice(0, width - 1).join('')}…`;
}

export interface WrapOptions {
  /**
   * Lines after which the text is cut; the last line then ends with `…` and `more` (default: no
   * limit). Off a terminal only a cut that says where to read the rest (`more`) is made.
   */
  maxLines?: number;
  /** What follows the ellipsis of a cut text, e.g. where to read the whole of it. */
  more?: string;
  /** Which end of an over-long word survives (paths: the end). */
  keep?: 'start' | 'end';
}

/**
 * Lines of at most `width.columns` characters, broken only between words (line feeds in the
 * text are kept as breaks). A word is never split across lines: one wider than the line is
 * shortened with an ellipsis on a terminal, and has a line of its own, whole, off one. A text
 * cut at `maxLines` says so with an ellipsis and `more`.
 */
export function wrapWords(text: string, width: LineWidth, options: WrapOptions = {}): string[] {
  const columns = width.columns;
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const raw of paragraph.split(/\s+/).filter((w) => w !== '')) {
      const word = width.hard ? shortenWord(raw, columns, options.keep) : raw;
      if (line === '') line = word;
      else if (textWidth(line) + 1 + textWidth(word) <= columns) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  while (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const max = width.hard || options.more !== undefined ? options.maxLines : undefined;
  if (max === undefined || lines.length <= max) return lines;
  return [...lines.slice(0, max - 1), endWith(lines[max - 1] ?? '', `… ${options.more ?? ''}`.trimEnd(), width)];
}

/** `line` with `ending` after it, dropping whole words from its end until both fit. */
function endWith(line: string, ending: string, width: LineWidth): string {
  const words = line.split(' ').filter((w) => w !== '');
  while (words.length > 0 && textWidth(words.join(' ')) + 1 + textWidth(ending) > width.columns) words.pop();
  if (words.length > 0) return `${words.join(' ')} ${ending}`;
  return width.hard ? shortenWord(ending, width.columns) : ending;
}
