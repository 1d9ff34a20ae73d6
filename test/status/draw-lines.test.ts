import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitTable } from '../../src/lib/status/fit-table.js';
import { drawLines, terminalTable } from '../../src/lib/status/table.js';
import { paintState } from '../../src/lib/text/colour.js';

/** Colours the job states among a line's words, as status colours its step column. */
const paintStates = (cell: string): string =>
  cell
    .split('\n')
    .map((line) =>
      line
        .split(' ')
        .map((word) => (word === 'dead' || word === 'queued' ? paintState(word, word, true) : word))
        .join(' '),
    )
    .join('\n');

/** What fitTable drew before: cli-table3 given each cell whole, its lines joined. */
function drawnWhole(head: string[][], rows: string[][][], widths: number[], paint?: (cell: string) => string): string {
  const table = terminalTable(
    head.map((lines) => lines.join('\n')),
    { colWidths: widths.map((w) => w + 2), multiline: true, ...(paint ? { paint } : {}) },
  );
  for (const row of rows) table.push(row.map((lines) => lines.join('\n')));
  return table.toString();
}

const word = fc.constantFrom('dead', 'queued', 'Lake', 'Elmo', 'Café', '—', '😀', '会议', 'a', '/mnt/flex-1/2026/11/x.mp4', '…', '');
const line = fc.array(word, { maxLength: 4 }).map((words) => words.join(' '));
const cell = fc.array(line, { minLength: 1, maxLength: 4 });

describe('tables drawn a line at a time', () => {
  it('are the tables cli-table3 draws from whole cells, byte for byte, colours included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((columns) =>
          fc.record({
            widths: fc.array(fc.integer({ min: 1, max: 24 }), { minLength: columns, maxLength: columns }),
            head: fc.array(cell, { minLength: columns, maxLength: columns }),
            rows: fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { maxLength: 4 }),
            painted: fc.boolean(),
          }),
        ),
        ({ widths, head, rows, painted }) => {
          const paint = painted ? paintStates : undefined;
          expect(drawLines(head, rows, widths, paint)).toBe(drawnWhole(head, rows, widths, paint));
        },
      ),
      { numRuns: 300 },
    );
  });

  // cli-table3 shortened a whole cell again for each line it drew, and its time grew with the
  // cube of the cell's length: 8,000 characters (the longest reason a job keeps, which jobs show
  // prints whole) took 32 s on this machine, this one (20,000) about 9 minutes, so without the fix the test
  // fails on the suite's timeout.
  it('draw a cell of 20,000 characters whole, every line within the width', () => {
    const reason = Array.from({ length: 3333 }, (_, i) => `w${String(i).padStart(4, '0')}`).join(' ');
    const table = fitTable([{ head: 'job' }, { head: 'last error' }], [['17', reason]], { width: { columns: 100, hard: true } });
    const lines = table.split('\n');
    expect(lines.every((l) => Array.from(l).length <= 100)).toBe(true);
    const words = lines.flatMap((l) => l.split(/[\s│]+/)).filter((w) => w.startsWith('w'));
    expect(words).toEqual(reason.split(' '));
  });
});
