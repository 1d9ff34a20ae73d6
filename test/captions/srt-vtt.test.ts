import { describe, expect, it } from 'vitest';
import { formatSrt } from '../../src/lib/captions/srt.js';
import { formatVtt } from '../../src/lib/captions/vtt.js';

const captions = [
  { start: 1.0005, end: 3.5, lines: ['Good evening.', 'Welcome <all> & --> you'] },
  { start: 3661.25, end: 3663, lines: ['♪ Café ♪'] },
];

describe('SRT and WebVTT', () => {
  it('writes numbered SubRip cues with comma milliseconds', () => {
    expect(formatSrt(captions)).toBe(
      '1\n00:00:01,001 --> 00:00:03,500\nGood evening.\nWelcome <all> & --> you\n\n' + '2\n01:01:01,250 --> 01:01:03,000\n♪ Café ♪\n',
    );
  });

  it('writes WebVTT with escaped cue text', () => {
    expect(formatVtt(captions)).toBe(
      'WEBVTT\n\n00:00:01.001 --> 00:00:03.500\nGood evening.\nWelcome &lt;all&gt; &amp; --&gt; you\n\n' +
        '01:01:01.250 --> 01:01:03.000\n♪ Café ♪\n',
    );
    expect(formatVtt([])).toBe('WEBVTT\n');
    expect(formatSrt([])).toBe('');
  });
});
