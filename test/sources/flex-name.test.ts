import { describe, expect, it } from 'vitest';
import { parseRecordingName } from '../../src/lib/sources/flex-name.js';

describe('Flex file names (the reference\'s "Flex file names" shapes)', () => {
  it.each([
    ['28-1-dn2020-0220-hd.mp4', { showId: 28, reel: 1, title: 'dn2020-0220-hd', date: '2020-02-20' }],
    ['17601-1-Birchwood City Council (20220111).mp4', { showId: 17601, reel: 1, title: 'Birchwood City Council', date: '2022-01-11' }],
    ['17601-88-1 - Lake Elmo Council.mov', { showId: 17601, title: 'Lake Elmo Council' }],
    ['17052-1 Birchwood Parks Board.mp4', { showId: 17052, reel: 1, title: 'Birchwood Parks Board' }],
    ['14013-Mahtomedi Council (20201109).mp4', { showId: 14013, title: 'Mahtomedi Council', date: '2020-11-09' }],
    ['16380 - White Bear Lake Council 11092020.mov', { showId: 16380, title: 'White Bear Lake Council', date: '2020-11-09' }],
  ])('%s', (name, expected) => {
    expect(parseRecordingName(name)).toEqual(expected);
  });

  it('keeps the record-event title whole, date and all', () => {
    expect(parseRecordingName('17601-88-1 - Birchwood Council (20220111).mp4')).toEqual({
      showId: 17601,
      title: 'Birchwood Council',
      date: '2022-01-11',
    });
  });
});

describe('dates in file names', () => {
  it.each([
    ['(YYYYMMDD)', 'Oakdale Council (20240301).MXF', '2024-03-01', 'Oakdale Council'],
    ['MMDDYYYY', 'Oakdale Council 03012024.mp4', '2024-03-01', 'Oakdale Council'],
    ['YYYY-MMDD', 'Oakdale Council 2024-0301.mp4', '2024-03-01', 'Oakdale Council'],
    ['M-D-YY', 'Maple Grove Report 3-4-25.mp4', '2025-03-04', 'Maple Grove Report'],
    ['MM-DD-YY', 'Maple Grove Report 11-24-26.mp4', '2026-11-24', 'Maple Grove Report'],
    ['(MMDDYYYY)', 'Oakdale Council (03012024).mp4', '2024-03-01', 'Oakdale Council'],
  ])('%s', (_form, name, date, title) => {
    expect(parseRecordingName(name)).toEqual({ title, date });
  });

  it('ignores impossible dates, and a number that only looks like one', () => {
    expect(parseRecordingName('17601-1-Council (20221341).mp4')).toEqual({ showId: 17601, reel: 1, title: 'Council' });
    expect(parseRecordingName('Council 2-30-25.mp4')).toEqual({ title: 'Council 2-30-25' });
    expect(parseRecordingName('Budget 12345678.mp4')).toEqual({ title: 'Budget 12345678' });
  });

  it('does not take a leading date for a show id', () => {
    expect(parseRecordingName('2022-0111 Birchwood Council.mp4')).toEqual({ title: 'Birchwood Council', date: '2022-01-11' });
    expect(parseRecordingName('3-4-25 Maple Grove Report.mp4')).toEqual({ title: 'Maple Grove Report', date: '2025-03-04' });
  });

  it('reads a plain name as its title', () => {
    expect(parseRecordingName('meeting.mp4')).toEqual({ title: 'meeting' });
    expect(parseRecordingName('Lake Elmo Council')).toEqual({ title: 'Lake Elmo Council' });
  });
});
