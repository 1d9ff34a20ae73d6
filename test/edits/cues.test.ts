import { describe, expect, it } from 'vitest';
import { parseCueFile } from '../../src/lib/captions/cue-parse.js';
import { cueWords, fitCues } from '../../src/lib/edits/fit-cues.js';

describe('parseCueFile', () => {
  it('reads SRT and WebVTT cues as the editor broke them, markup left out', () => {
    const srt =
      '\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Good</i> evening\r\n{\\an8}everyone\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nItem one\r\n';
    expect(parseCueFile(srt, 'srt')).toEqual({
      captions: [
        { start: 1, end: 2.5, lines: ['Good evening', 'everyone'] },
        { start: 3, end: 4, lines: ['Item one'] },
      ],
      problems: [],
    });
    const vtt = 'WEBVTT - edited\n\nNOTE checked by Dana\n\nintro\n01:02.5 --> 01:04.000 align:start\nFish &amp; chips &lt;3\n';
    expect(parseCueFile(vtt, 'vtt')).toEqual({ captions: [{ start: 62.5, end: 64, lines: ['Fish & chips <3'] }], problems: [] });
  });

  it('names the line of each problem', () => {
    expect(parseCueFile('1\n00:00:05,000 --> 00:00:04,000\nbackwards\n\nno timing here\n', 'srt').problems).toEqual([
      { line: 2, message: 'the cue ends before it starts' },
      { line: 5, message: 'expected a cue timing such as 00:01:02,500 --> 00:01:04,000' },
    ]);
    expect(parseCueFile('00:00:01.000 --> 00:00:02.000\nhi\n', 'vtt').problems[0]).toEqual({
      line: 1,
      message: 'a WebVTT file starts with "WEBVTT"',
    });
    expect(parseCueFile('', 'srt').problems).toEqual([{ line: 1, message: 'no captions in the file' }]);
  });
});

describe('fitCues and cueWords', () => {
  it('keeps a cue that fits, and splits one too long for 608 rows over its time', () => {
    const fits = { start: 0, end: 2, lines: ['Good evening'] };
    expect(fitCues([fits], 2)).toEqual([fits]);
    const long = {
      start: 10,
      end: 14,
      lines: ['Next, the sidewalk café permit for Lakeview Avenue, which the applicant asked the council to take up.'],
    };
    const fitted = fitCues([long], 2);
    expect(fitted.length).toBe(2);
    expect(fitted.every((c) => c.lines.length <= 2 && c.lines.every((l) => l.length <= 32))).toBe(true);
    expect(fitted.map((c) => c.lines.join(' ')).join(' ')).toBe(long.lines[0]);
    expect(fitted[0]?.start).toBe(10);
    expect(fitted.at(-1)?.end).toBeCloseTo(14, 9);
  });

  it('times each word across its cue', () => {
    const words = cueWords([{ start: 10, end: 12, lines: ['ab', 'cd'] }]);
    expect(words.map((w) => [w.text, w.start, w.end])).toEqual([
      ['ab', 10, 11 - 2 / 6],
      ['cd', 11, 12 - 2 / 6],
    ]);
  });
});
