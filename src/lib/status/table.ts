import Table from 'cli-table3';
import { terminalSafe } from '../text/terminal-safe.js';

export type TableCell = string | number;

export interface TableOptions {
  colWidths?: number[];
  /** A line feed in a cell starts a new line in it (a list of files); every other control is still replaced. */
  multiline?: boolean;
  /** Colours a cell once it is terminal-safe (the only escape sequences in a table are ours). */
  paint?: (cell: string, column: number) => string;
  /** No line between rows, only under the head (cli-table3's `compact`). */
  compact?: boolean;
}

export interface TerminalTable {
  push(...rows: readonly TableCell[][]): void;
  toString(): string;
}

/**
 * The one way to build a table for a terminal: every cell goes through terminalSafe before
 * cli-table3 measures, wraps or cuts it, so no cell can carry a control sequence, and a cut
 * cannot leave half of one to swallow the rest of the screen. Plain borders; colour only
 * through `paint`.
 */
export function terminalTable(head: readonly string[], options: TableOptions = {}): TerminalTable {
  const multiline = options.multiline === true;
  const table = new Table({
    head: head.map((cell) => terminalSafe(cell, { keepNewlines: multiline })),
    style: { head: [], border: [], compact: options.compact === true },
    ...(options.colWidths === undefined ? {} : { colWidths: options.colWidths }),
  });
  const paint = options.paint ?? ((cell: string) => cell);
  return {
    push: (...rows) => {
      for (const row of rows) table.push(row.map((cell, column) => paint(terminalSafe(String(cell), { keepNewlines: multiline }), column)));
    },
    toString: () => table.toString(),
  };
}

/**
 * A table of cells already cut into lines that fit their columns (`widths`, without padding):
 * the same table as cli-table3 draws from multi-line cells, drawn one line of the row at a
 * time. Handed a cell of many lines, cli-table3 shortens the whole cell once for every line
 * it draws (for a debug message, a character at a time), which grows with the square of the
 * cell's length: a 4,000-character reason in `jobs show` took 7 s, a night's caption files
 * in `status` most of a second. Each line becomes a row of its own in a table with no lines
 * between rows, and the line under the head, the one cli-table3 draws between rows, is put
 * back between them. `paint` colours each line that has text; a shorter cell's blank lines
 * below its text are left as they are.
 */
export function drawLines(
  head: readonly (readonly string[])[],
  rows: readonly (readonly (readonly string[])[])[],
  widths: readonly number[],
  paint?: (cell: string, column: number) => string,
): string {
  const table = terminalTable(
    head.map((lines) => lines.join('\n')),
    {
      colWidths: widths.map((w) => w + 2),
      multiline: true,
      compact: true,
      ...(paint ? { paint: (cell: string, column: number) => (cell === '' ? cell : paint(cell, column)) } : {}),
    },
  );
  const heights = rows.map((row) => Math.max(1, ...row.map((lines) => lines.length)));
  rows.forEach((row, r) => {
    for (let line = 0; line < (heights[r] ?? 1); line += 1) table.push(row.map((lines) => lines[line] ?? ''));
  });
  const drawn = table.toString().split('\n');
  if (rows.length === 0) return drawn.join('\n');
  const headHeight = Math.max(1, ...head.map((lines) => lines.length));
  const separator = drawn[1 + headHeight] ?? '';
  const out = drawn.slice(0, 1 + headHeight);
  let next = 2 + headHeight;
  for (const height of heights) {
    out.push(separator, ...drawn.slice(next, next + height));
    next += height;
  }
  out.push(...drawn.slice(next));
  return out.join('\n');
}
