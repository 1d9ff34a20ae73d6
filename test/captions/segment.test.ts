import { describe, expect, it } from 'vitest';
import { CAPTION_TIMING, segmentCaptions, type Caption } from '../../src/lib/captions/segment.js';
import type { TranscriptWord } from '../../src/lib/captions/transcript.js';
import { firstWords } from '../support/transcripts/align.js';
import { syntheticSpeech } from '../support/transcripts/generate.js';

const speech = syntheticSpeech(3000, 11);

function evenly(text: string, start = 1, step = 0.3): TranscriptWord[] {
  return text.split(' ').map((t, i) => ({ text: t, start: start + i * step, end: start + i * step + step * 0.8 }));
}

describe('segmentCaptions', () => {
  for (const maxRows of [1, 2, 3] as const) {
    it(`keeps rows within 32 columns and captions within ${maxRows} row(s), starting on their first word`, () => {
      const captions = segmentCaptions(speech, { maxRows });
      for (const caption of captions) {
        expect(caption.lines.length).toBeGreaterThan(0);
        expect(caption.lines.length).toBeLessThanOrEqual(maxRows);
        for (const line of caption.lines) expect(line.length).toBeLessThanOrEqual(32);
      }
      firstWords(captions, speech).forEach((word, i) => {
        expect(captions[i]?.start).toBe(word.start);
      });
    });
  }

  it('holds each caption long enough to read, no longer than the norms, without flicker or overlap', () => {
    const captions = segmentCaptions(speech);
    const firsts = firstWords(captions, speech);
    captions.forEach((caption, i) => {
      const next = captions[i + 1];
      const duration = caption.end - caption.start;
      if (next) {
        expect(caption.end).toBeLessThanOrEqual(next.start);
        const gap = next.start - caption.end;
        expect(gap === 0 || gap >= CAPTION_TIMING.mergeGap).toBe(true);
        expect(duration).toBeGreaterThanOrEqual(Math.min(CAPTION_TIMING.minDuration, next.start - caption.start) - 1e-9);
      } else {
        expect(duration).toBeGreaterThanOrEqual(CAPTION_TIMING.minDuration);
      }
      // Cleared when speech stops: never held past the norm unless the words themselves last longer.
      const nextFirst = firsts[i + 1];
      const lastWordEnd = (nextFirst ? speech[speech.indexOf(nextFirst) - 1] : speech.at(-1))?.end ?? 0;
      expect(caption.end).toBeLessThanOrEqual(Math.max(lastWordEnd, caption.start + CAPTION_TIMING.maxDuration) + 1e-9);
    });
    const long = captions.filter((c) => c.end - c.start > CAPTION_TIMING.maxDuration + 0.5);
    expect(long.length / captions.length).toBeLessThan(0.01);
  });

  it('reads at a comfortable rate', () => {
    const captions = segmentCaptions(speech);
    const rates = captions.map((c) => c.lines.join(' ').length / (c.end - c.start)).sort((a, b) => a - b);
    const median = rates[Math.floor(rates.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(8);
    expect(median).toBeLessThan(20);
    expect(rates.filter((r) => r > 25).length / rates.length).toBeLessThan(0.05);
  });

  it('breaks at phrase boundaries far more often than mid-phrase', () => {
    const captions = segmentCaptions(speech);
    const endsOf = (rows: string[]): string[] => rows.map((r) => r.split(' ').at(-1) ?? '');
    const captionEnds = captions.slice(0, -1).map((c) => c.lines.at(-1)?.split(' ').at(-1) ?? '');
    const punctuated = captionEnds.filter((w) => /[.?,]$/.test(w)).length / captionEnds.length;
    const wordsPunctuated = speech.filter((w) => /[.?,]$/.test(w.text)).length / speech.length;
    expect(punctuated).toBeGreaterThan(0.6);
    expect(punctuated).toBeGreaterThan(wordsPunctuated * 3);
    const rowEnds = captions.flatMap((c) => endsOf(c.lines));
    const dangling = rowEnds.filter((w) => ['the', 'a', 'of', 'to', 'and'].includes(w)).length;
    expect(dangling / rowEnds.length).toBeLessThan(0.05);
  });

  it('ends a caption at a sentence end and does not end a row on an article', () => {
    const captions = segmentCaptions(
      evenly('We approved the budget for the northern district. Now the park hours are next on the agenda tonight, said the mayor.'),
    );
    expect(captions.map((c) => c.lines)).toEqual([
      ['We approved the budget', 'for the northern district.'],
      ['Now the park hours are next', 'on the agenda tonight,'],
      ['said the mayor.'],
    ]);
  });

  it('splits only a word wider than a row, and keeps every character', () => {
    const long = 'Pneumonoultramicroscopicsilicovolcanoconiosis-and-more';
    const captions = segmentCaptions([
      { text: 'A', start: 1, end: 1.2 },
      { text: long, start: 1.3, end: 3 },
      { text: 'word.', start: 3.1, end: 3.5 },
    ]);
    const rows = captions.flatMap((c) => c.lines);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(32);
    expect(rows.join('').replace(/ /g, '')).toBe(`A${long}word.`);
  });

  it('starts a new caption after a long pause and never shows text before it is said', () => {
    const words = [...evenly('First part here.', 1), ...evenly('After the pause.', 10)];
    const captions = segmentCaptions(words);
    expect(captions.map((c) => c.lines.join(' '))).toEqual(['First part here.', 'After the pause.']);
    expect(captions[1]?.start).toBe(10);
    expect(captions[0]?.end).toBeLessThan(10);
  });

  it('rewrites text into caption characters and skips words with nothing showable', () => {
    const captions = segmentCaptions([
      { text: 'naïve…', start: 1, end: 1.5 },
      { text: '😀', start: 1.5, end: 2 },
      { text: 'Łódź', start: 2, end: 2.5 },
    ]);
    expect(captions.map((c: Caption) => c.lines)).toEqual([['naïve... Lódz']]);
    expect(segmentCaptions([])).toEqual([]);
  });
});
