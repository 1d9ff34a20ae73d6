import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePoints, EXTENDED_CHARS_12, EXTENDED_CHARS_13, SPECIAL_CHARS, toCaptionText } from '../../src/lib/captions/cea608.js';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { encodeScc } from '../../src/lib/captions/scc-encode.js';
import { segmentCaptions } from '../../src/lib/captions/segment.js';
import { parseTimecode, secondsToFrames } from '../../src/lib/captions/timecode.js';
import type { TranscriptWord } from '../../src/lib/captions/transcript.js';

const glyphs = codePoints(
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,?!\'"-:;$%&()/@#[]=+<>' +
    'áéíóúçÑñ÷' +
    SPECIAL_CHARS.replace('\u00a0', '') +
    EXTENDED_CHARS_12 +
    EXTENDED_CHARS_13 +
    '–…œŁ😀',
);

/** Words in time order, each unique (its index appended) so consecutive captions never match. */
const wordsArbitrary = fc
  .array(
    fc.record({
      body: fc.array(fc.constantFrom(...glyphs), { minLength: 1, maxLength: 14 }).map((chars) => chars.join('')),
      gap: fc.oneof(fc.double({ min: 0, max: 0.3, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true })),
      duration: fc.double({ min: 0, max: 1.2, noNaN: true }),
    }),
    { minLength: 1, maxLength: 80 },
  )
  .map((raw) => {
    let t = 0;
    return raw.map(({ body, gap, duration }, i): TranscriptWord => {
      t += gap;
      const word = { text: `${body}${i}`, start: t, end: t + duration };
      t += duration;
      return word;
    });
  });

describe('encode -> decode properties', () => {
  it('returns every word in order, rows within 32 columns, no overlaps, valid drop-frame labels, nothing early', () => {
    fc.assert(
      fc.property(wordsArbitrary, fc.constantFrom(1 as const, 2 as const, 3 as const), (words, maxRows) => {
        const captions = segmentCaptions(words, { maxRows });
        const scc = encodeScc(captions);
        const decoded = decodeScc(scc);
        expect(decoded.problems).toEqual([]);

        const expected = words.map((w) => toCaptionText(w.text)).filter((t) => t !== '');
        expect(decoded.captions.flatMap((c) => c.lines.join(' ').split(' '))).toEqual(expected);
        expect(decoded.captions).toHaveLength(captions.length);

        decoded.captions.forEach((caption, i) => {
          for (const line of caption.lines) expect(line.length).toBeLessThanOrEqual(32);
          expect(caption.lines.length).toBeLessThanOrEqual(maxRows);
          expect(caption.startFrame).toBeGreaterThanOrEqual(secondsToFrames(captions[i]?.start ?? 0));
          const previous = decoded.captions[i - 1];
          if (previous) expect(caption.startFrame).toBeGreaterThanOrEqual(previous.endFrame);
        });

        let free = 0;
        for (const line of scc.split('\n').filter((l) => /^\d/.test(l))) {
          const [label = '', body = ''] = line.split('\t');
          const parsed = parseTimecode(label);
          expect(parsed).toMatchObject({ ok: true, dropFrame: true });
          if (!parsed.ok) return;
          expect(parsed.frames).toBeGreaterThanOrEqual(free);
          free = parsed.frames + body.split(' ').length;
        }
      }),
      { numRuns: 150 },
    );
  });

  it("shows each caption on its first word's frame, late only when the channel was busy until its line went out", () => {
    fc.assert(
      fc.property(wordsArbitrary, (words) => {
        const captions = segmentCaptions(words.map((w) => ({ ...w, start: w.start + 3, end: w.end + 3 })));
        const scc = encodeScc(captions);
        const fileLines = scc.split('\n');
        const sent = new Map<number, { frame: number; previousEnd: number }>();
        let previousEnd = 0;
        fileLines.forEach((line, index) => {
          const [label = '', body = ''] = line.split('\t');
          const parsed = parseTimecode(label);
          if (!parsed.ok) return;
          sent.set(index + 1, { frame: parsed.frames, previousEnd });
          previousEnd = parsed.frames + body.split(' ').length;
        });
        decodeScc(scc).captions.forEach((caption, i) => {
          const wanted = secondsToFrames(captions[i]?.start ?? 0);
          if (caption.startFrame === wanted) return;
          expect(caption.startFrame).toBeGreaterThan(wanted);
          const line = sent.get(caption.line);
          expect(line && line.frame === line.previousEnd).toBe(true);
        });
      }),
      { numRuns: 100 },
    );
  });
});
