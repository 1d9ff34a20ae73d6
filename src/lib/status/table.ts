import Table from 'cli-table3';
import { terminalSafe } from '../text/terminal-safe.js';

export type TableCell = string | number;

export interface TableOptions {
  colWidths?: number[];
  wordWrap?: boolean;
  /** A line feed in a cell starts a new line in it (a list of files); every other control is still replaced. */
  multiline?: boolean;
  /** Colours a cell once it is terminal-safe (the only escape sequences in a table are ours). */
  paint?: (cell: string, column: number) => string;
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
    style: { head: [], border: [] },
    ...(options.colWidths === undefined ? {} : { colWidths: options.colWidths }),
    ...(options.wordWrap === undefined ? {} : { wordWrap: options.wordWrap }),
  });
  const paint = options.paint ?? ((cell: string) => cell);
  return {
    push: (...rows) => {
      for (const row of rows) table.push(row.map((cell, column) => paint(terminalSafe(String(cell), { keepNewlines: multiline }), column)));
    },
    toString: () => table.toString(),
  };
}
