import { describe, expect, it } from 'vitest';
import { CAPTION_TIMING, segmentCaptions, type Caption } from '../../src/lib/captions/segment.js';
import type { TranscriptWord } from '../../src/lib/captions/transcript.js';
import { toSccText } from '../../src/lib/captions/cea608.js';
import { captionWords } from '../support/transcripts/measure.js';
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
      captionWords(captions, speech).forEach((span, i) => {
        expect(captions[i]?.start).toBeGreaterThanOrEqual(span.first.start);
      });
    });
  }

  it('holds each caption long enough to read, through short pauses, and clears it when speech stops', () => {
    const captions = segmentCaptions(speech);
    const spans = captionWords(captions, speech);
    const { minDuration, holdGap, linger, maxLag, mergeGap, maxDuration } = CAPTION_TIMING;
    captions.forEach((caption, i) => {
      const span = spans[i];
      if (!span) return;
      expect(caption.start).toBeGreaterThanOrEqual(span.first.start);
      expect(caption.start).toBeLessThanOrEqual(span.first.start + maxLag + 1e-9);
      expect(caption.end - caption.start).toBeGreaterThanOrEqual(minDuration - 1e-9);
      const next = captions[i + 1];
      const nextSpan = spans[i + 1];
      if (!next || !nextSpan) return;
      expect(caption.end).toBeLessThanOrEqual(next.start);
      const gap = next.start - caption.end;
      expect(gap === 0 || gap >= mergeGap).toBe(true);
      if (nextSpan.first.start - span.last.end < holdGap) expect(caption.end).toBe(next.start);
      // Cleared when speech stops: held past its last word only to be read, or to close a flicker.
      else if (gap > 0) expect(caption.end).toBeLessThanOrEqual(Math.max(span.last.end + linger, caption.start + maxDuration) + 1e-9);
    });
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
      // "said the mayor." alone would be on screen for under a second: it joins the caption before.
      ['Now the park hours are next'],
      ['on the agenda tonight,', 'said the mayor.'],
    ]);
  });

  it('hyphenates only a word wider than a row, at its own hyphen where one falls late enough', () => {
    const long = 'Pneumonoultramicroscopicsilicovolcanoconiosis';
    const captions = segmentCaptions([
      { text: 'A', start: 1, end: 1.2 },
      { text: long, start: 1.3, end: 3 },
      { text: 'word.', start: 3.1, end: 3.5 },
      { text: 'well-known-and-somewhat-long-compound-term', start: 4, end: 5 },
    ]);
    const rows = captions.flatMap((c) => c.lines);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(32);
    expect(rows).toContain('Pneumonoultramicroscopicsilicov-');
    expect(rows.some((row) => row.includes('well-known-and-somewhat-long-'))).toBe(true);
    expect(
      captionWords(captions, [
        { text: 'A', start: 1, end: 1.2 },
        { text: long, start: 1.3, end: 3 },
        { text: 'word.', start: 3.1, end: 3.5 },
        { text: 'well-known-and-somewhat-long-compound-term', start: 4, end: 5 },
      ]),
    ).toHaveLength(captions.length);
    // A word's pieces stay in one caption when its rows can hold them.
    expect(captions.find((c) => c.lines.some((l) => l.startsWith('Pneumono')))?.lines.join(' ')).toContain('olcanoconiosis');
  });

  it('keeps a title with its name and does not take an abbreviation for a sentence end', () => {
    const captions = segmentCaptions(
      evenly(
        'We heard from the residents of the district last night and then Mr. Nguyen spoke about St. Paul and item No. 5 on the agenda.',
        1,
        0.25,
      ),
    );
    const rows = captions.flatMap((c) => c.lines);
    for (const row of rows) {
      expect(row).not.toMatch(/\b(Mr\.|St\.|No\.)$/);
      expect(row).not.toMatch(/^(Nguyen|Paul|5)\b/);
    }
    const titled = segmentCaptions(
      evenly('Thank you all for coming tonight and a warm welcome to Mayor Emerson and Councilmember Kowalczyk.', 1, 0.25),
    );
    for (const row of titled.flatMap((c) => c.lines)) expect(row).not.toMatch(/\b(Mayor|Councilmember)$/);
  });

  it('starts a new caption after a long pause and never shows text before it is said', () => {
    const words = [...evenly('First part here.', 1), ...evenly('After the pause.', 10)];
    const captions = segmentCaptions(words);
    expect(captions.map((c) => c.lines.join(' '))).toEqual(['First part here.', 'After the pause.']);
    expect(captions[1]?.start).toBe(10);
    expect(captions[0]?.end).toBeLessThan(10);
  });

  it('keeps the words as written and counts a row by what CEA-608 shows for it too', () => {
    const captions = segmentCaptions([
      { text: 'naïve…', start: 1, end: 1.5 },
      { text: '😀', start: 1.5, end: 2 },
      { text: 'Łódź', start: 2, end: 2.5 },
    ]);
    expect(captions.map((c: Caption) => c.lines)).toEqual([['naïve… 😀 Łódź']]);
    // Eleven ellipses are 11 characters but 33 columns on a CEA-608 screen.
    const wide = segmentCaptions(evenly(Array.from({ length: 4 }, () => '…………').join(' ')));
    for (const row of wide.flatMap((c) => c.lines)) expect(toSccText(row).text.length).toBeLessThanOrEqual(32);
    expect(segmentCaptions([])).toEqual([]);
  });
});
