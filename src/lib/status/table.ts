import Table from 'cli-table3';
import { terminalSafe } from '../text/terminal-safe.js';

export type TableCell = string | number;

export interface TableOptions {
  colWidths?: number[];
  wordWrap?: boolean;
  /** A line feed in a cell starts a new line in it (a list of files); every other control is still replaced. */
  multiline?: boolean;
}

export interface TerminalTable {
  push(...rows: readonly TableCell[][]): void;
  toString(): string;
}

/**
 * The one way to build a table for a terminal: every cell goes through terminalSafe before
 * cli-table3 measures, wraps or cuts it, so no cell can carry a control sequence, and a cut
 * cannot leave half of one to swallow the rest of the screen. No colours, plain borders.
 */
export function terminalTable(head: readonly string[], options: TableOptions = {}): TerminalTable {
  const table = new Table({
    head: head.map((cell) => terminalSafe(cell)),
    style: { head: [], border: [] },
    ...(options.colWidths === undefined ? {} : { colWidths: options.colWidths }),
    ...(options.wordWrap === undefined ? {} : { wordWrap: options.wordWrap }),
  });
  return {
    push: (...rows) => {
      for (const row of rows) table.push(row.map((cell) => terminalSafe(String(cell), { keepNewlines: options.multiline === true })));
    },
    toString: () => table.toString(),
  };
}
