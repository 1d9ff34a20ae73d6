import { describe, expect, it } from 'vitest';
import { fitTable, type FitColumn } from '../../src/lib/status/fit-table.js';
import { tableColumn } from '../support/table-column.js';

/** A path with spaces (it wraps) whose last word alone is wider than any column of a 100-column table could be. */
const FILE_NAME = 'Birchwood-City-Council-Regular-Meeting-2026-11-30-full-session-with-public-hearing.mp4';
const PATH = `/mnt/flex-1/Council Meetings/2026/${FILE_NAME}`;
const URL = 'http://cablecast.example.org/CablecastAPI/v1/vod/17052/vod.mp4';
const REASON = `cannot download ${URL}: HTTP 404 Not Found after 5 attempts, so queue it again once the show's VOD is published`;

const columns: FitColumn[] = [
  { head: 'job' },
  { head: 'file', keep: 'end', maxLines: 2 },
  { head: 'error', maxLines: 3, more: () => 'jobs show 12' },
];
const rows = [['12', PATH, REASON]];

function widthsOf(text: string): number[] {
  return text.split('\n').map((line) => Array.from(line).length);
}

function longestWord(text: string): number {
  return Math.max(...text.split(' ').map((word) => Array.from(word).length));
}

describe('fitTable', () => {
  it('on a terminal shortens words wider than the screen; off one keeps them whole, just wide enough for them', () => {
    const terminal = fitTable(columns, rows, { width: { columns: 100, hard: true } });
    expect(Math.max(...widthsOf(terminal))).toBeLessThanOrEqual(100);
    expect(tableColumn(terminal, 'file')).not.toContain(FILE_NAME);
    expect(tableColumn(terminal, 'file')).toContain('…');

    const offTerminal = fitTable(columns, rows, { width: { columns: 100, hard: false } });
    // Borders and padding (3 a column and 1), then each column as wide as its longest word.
    const wordsWide = 3 * 3 + 1 + 'job'.length + longestWord(PATH) + longestWord(REASON);
    expect(wordsWide).toBeGreaterThan(100);
    expect(widthsOf(offTerminal)).toEqual(widthsOf(offTerminal).map(() => wordsWide));
    // Whole, though the file column's two lines are not enough: that cut would say nothing of where to read the rest.
    expect(tableColumn(offTerminal, 'file')).toBe(`file ${PATH}`);
    expect(tableColumn(offTerminal, 'error')).toContain(URL);
    // Still wrapped between words, and the reason still cut where it says where to read it whole.
    expect(offTerminal.split('\n').some((line) => line.includes('/mnt/flex-1/Council ') && !line.includes(FILE_NAME))).toBe(true);
    expect(tableColumn(offTerminal, 'error')).toMatch(/… jobs show 12$/);
  });

  it('off a terminal wraps at the width like a terminal when the longest words fit', () => {
    const short = [['12', '/mnt/flex-1/Council Meetings/2026/Council 2026-11-30.mp4', 'engine exited 1: out of memory']];
    const narrow = [{ head: 'job' }, { head: 'file', keep: 'end' as const }, { head: 'error' }];
    const offTerminal = fitTable(narrow, short, { width: { columns: 40, hard: false } });
    expect(offTerminal).toBe(fitTable(narrow, short, { width: { columns: 40, hard: true } }));
    expect(Math.max(...widthsOf(offTerminal))).toBeLessThanOrEqual(40);
    expect(offTerminal.split('\n').length).toBeGreaterThan(5);
  });
});
