import type { LineWidth } from '../text/line-width.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { textWidth, wrapWords } from '../text/wrap-words.js';
import { drawLines, type TableCell } from './table.js';

export interface FitColumn {
  head: string;
  /** Which end of an over-long word (a path) survives. */
  keep?: 'start' | 'end';
  /** Lines a cell may take; a longer one is cut with an ellipsis and `more(row)` (off a terminal only with `more`). */
  maxLines?: number;
  /** Where to read the whole of a cut cell (`jobs show 12`). */
  more?: (row: number) => string;
  /** Never narrower than this. */
  min?: number;
}

export interface FitOptions {
  /** The width to fit, and whether it is a terminal's hard limit. */
  width: LineWidth;
  /** Colours each line of a cell that has text, once it is terminal-safe. */
  paint?: (cell: string, column: number) => string;
}

/** Borders and padding: `│ a │ b │` is 3 per column and 1 more. */
function overhead(columns: number): number {
  return 3 * columns + 1;
}

function longestWord(text: string): number {
  return Math.max(0, ...text.split(/\s+/).map(textWidth));
}

function longestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map(textWidth));
}

/**
 * A table that fits the width: columns are narrowed, widest first, down to their longest word,
 * and cells wrapped between words. When even that does not fit, on a terminal over-long words
 * are shortened with an ellipsis (never split over two lines); off one the table stays that
 * wide, every word whole. A cell cut at its column's `maxLines` ends with an ellipsis and
 * where to read it whole (off a terminal only a column that says where is cut).
 */
export function fitTable(columns: readonly FitColumn[], rows: readonly (readonly TableCell[])[], options: FitOptions): string {
  const safe = rows.map((row) => row.map((cell) => terminalSafe(String(cell), { keepNewlines: true })));
  const heads = columns.map((c) => terminalSafe(c.head));
  const cellsOf = (c: number): string[] => [heads[c] ?? '', ...safe.map((row) => row[c] ?? '')];
  const widths = columns.map((_, c) => Math.max(1, ...cellsOf(c).map(longestLine)));
  const headWord = columns.map((_, c) => longestWord(heads[c] ?? ''));
  const floor = columns.map((column, c) => {
    const more = column.more ? Math.max(0, ...safe.map((_, r) => textWidth(`… ${column.more?.(r) ?? ''}`))) : 0;
    return Math.max(column.min ?? 1, headWord[c] ?? 1, more);
  });
  const wordFloor = columns.map((_, c) => Math.max(floor[c] ?? 1, ...cellsOf(c).map(longestWord)));
  const available = options.width.columns - overhead(columns.length);
  const total = (): number => widths.reduce((sum, w) => sum + w, 0);
  // First narrow to the longest word; then, if that is still too wide for a terminal, shorten words.
  for (const limit of options.width.hard ? [wordFloor, floor] : [wordFloor]) {
    while (total() > available) {
      let widest = -1;
      for (let c = 0; c < widths.length; c += 1) {
        if ((widths[c] ?? 0) > (limit[c] ?? 1) && (widest < 0 || (widths[c] ?? 0) > (widths[widest] ?? 0))) widest = c;
      }
      if (widest < 0) break;
      widths[widest] = (widths[widest] ?? 1) - 1;
    }
  }
  const widthOf = (c: number): LineWidth => ({ ...options.width, columns: widths[c] ?? 1 });
  const head = heads.map((text, c) => wrapWords(text, widthOf(c)));
  const lines = safe.map((row, r) =>
    row.map((cell, c) => {
      const column = columns[c];
      return wrapWords(cell, widthOf(c), {
        keep: column?.keep ?? 'start',
        ...(column?.maxLines === undefined ? {} : { maxLines: column.maxLines }),
        ...(column?.more ? { more: column.more(r) } : {}),
      });
    }),
  );
  return drawLines(head, lines, widths, options.paint);
}
