import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSilences } from '../../src/lib/media/silence-detect.js';
import { planSpeechSpans, type SampleSpan } from '../../src/lib/media/speech-spans.js';
import { engineSeconds, intervalMapper, recordingTime, type TimeMap } from '../../src/lib/media/time-map.js';
import { mapTranscriptTimes } from '../../src/lib/transcription/map-transcript.js';

const RATE = 16_000;
const plan = (silences: Parameters<typeof planSpeechSpans>[0], seconds: number, paddingSec = 1, minSkipSec = 8) =>
  planSpeechSpans(silences, { sampleRate: RATE, totalSamples: seconds * RATE, paddingSec, minSkipSec });

describe('planSpeechSpans', () => {
  it('keeps the padding on the sides that touch sound, none at the ends of the recording', () => {
    const { kept, skipped } = plan([{ start: 0, end: 30 }, { start: 100, end: 130 }, { start: 290 }], 300);
    expect(skipped).toEqual([
      { start: 0, end: 29 * RATE },
      { start: 101 * RATE, end: 129 * RATE },
      { start: 291 * RATE, end: 300 * RATE },
    ]);
    expect(kept).toEqual([
      { start: 29 * RATE, end: 101 * RATE },
      { start: 129 * RATE, end: 291 * RATE },
    ]);
  });

  it('keeps a silence too short to be worth a join, and merges overlapping ones', () => {
    expect(plan([{ start: 10, end: 19 }], 60).skipped).toEqual([]);
    expect(
      plan(
        [
          { start: 10, end: 40 },
          { start: 20, end: 50 },
        ],
        60,
      ).skipped,
    ).toEqual([{ start: 11 * RATE, end: 49 * RATE }]);
  });

  it('rounds towards keeping more: cuts fall on the grid, inside the padded silence', () => {
    const [exact] = plan([{ start: 10.00001, end: 30.00001 }], 60).skipped;
    expect(exact).toEqual({ start: Math.ceil(11.00001 * RATE), end: Math.floor(29.00001 * RATE) });
    const options = { sampleRate: RATE, totalSamples: 60 * RATE, paddingSec: 1, minSkipSec: 8, alignSamples: 320 };
    const [aligned] = planSpeechSpans([{ start: 10.00001, end: 30.00001 }], options).skipped;
    expect(aligned).toEqual({ start: 11 * RATE + 320, end: 29 * RATE });
  });

  it('an all-silent recording keeps nothing', () => {
    expect(plan([{ start: 0 }], 60)).toEqual({ kept: [], skipped: [{ start: 0, end: 60 * RATE }] });
  });

  it('kept and skipped spans tile the recording, and every silent sample kept is within the padding of sound', () => {
    const silence = fc.tuple(fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 0, max: 600 }), fc.boolean());
    fc.assert(
      fc.property(fc.array(silence, { maxLength: 12 }), fc.integer({ min: 0, max: 3 }), (raw, padding) => {
        const total = 4000 * RATE;
        const silences = raw.map(([start, length, open]) => (open ? { start } : { start, end: Math.min(4000, start + length) }));
        const { kept, skipped } = planSpeechSpans(silences, { sampleRate: RATE, totalSamples: total, paddingSec: padding, minSkipSec: 1 });
        const all = [...kept, ...skipped].sort((a, b) => a.start - b.start);
        let at = 0;
        for (const span of all) {
          expect(span.start).toBe(at);
          expect(span.end).toBeGreaterThan(span.start);
          at = span.end;
        }
        expect(at).toBe(total);
        // Nothing outside a reported silence is ever skipped.
        for (const cut of skipped) {
          const inside = silences.some((s) => s.start * RATE <= cut.start && (s.end === undefined ? total : s.end * RATE) >= cut.start);
          expect(inside).toBe(true);
        }
      }),
    );
  });
});

describe('parseSilences', () => {
  it("reads ametadata's lines; a silence still open at the end runs to the end", () => {
    const out = [
      'frame:37   pts:54969   pts_time:3.43556',
      'lavfi.silence_start=1.4405',
      'frame:72   pts:106980  pts_time:6.68625',
      'lavfi.silence_end=6.75669',
      'lavfi.silence_duration=5.31619',
      'lavfi.silence_start=1e+03',
    ].join('\n');
    expect(parseSilences(out)).toEqual([{ start: 1.4405, end: 6.75669 }, { start: 1000 }]);
  });
});

/** Kept spans with whole-sample gaps between them, from arbitrary lengths. */
const keptSpans = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 20 * RATE }), fc.integer({ min: 1, max: 60 * RATE })), { minLength: 1, maxLength: 10 })
  .map((pairs) => {
    const kept: SampleSpan[] = [];
    let at = 0;
    for (const [gap, length] of pairs) {
      kept.push({ start: at + gap, end: at + gap + length });
      at += gap + length;
    }
    return { sampleRate: RATE, kept } satisfies TimeMap;
  });

describe('the time map', () => {
  it('puts every engine sample at the recording sample it was cut from', () => {
    fc.assert(
      fc.property(keptSpans, fc.double({ min: 0, max: 1, noNaN: true }), (map, where) => {
        const engineSamples = engineSeconds(map) * RATE;
        const sample = Math.floor(where * (engineSamples - 1));
        // Walk the spans to find the sample's source the slow way.
        let left = sample;
        let source = -1;
        for (const span of map.kept) {
          if (left < span.end - span.start) {
            source = span.start + left;
            break;
          }
          left -= span.end - span.start;
        }
        expect(recordingTime(map, sample / RATE, 'start') * RATE).toBeCloseTo(source, 6);
      }),
    );
  });

  it('is monotonic: times in order stay in order, and a word never spans a skipped stretch', () => {
    fc.assert(
      fc.property(keptSpans, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 40 }), (map, raw) => {
        const total = engineSeconds(map);
        const times = raw.map((x) => x * total).sort((a, b) => a - b);
        const mapper = intervalMapper(map);
        let last = -Infinity;
        for (let i = 0; i + 1 < times.length; i += 2) {
          const word = mapper.word(times[i] ?? 0, times[i + 1] ?? 0);
          expect(word.start).toBeGreaterThanOrEqual(last);
          expect(word.end).toBeGreaterThanOrEqual(word.start);
          // Inside one kept span of the recording.
          expect(map.kept.some((s) => s.start / RATE - 1e-9 <= word.start && word.end <= s.end / RATE + 1e-9)).toBe(true);
          last = word.end;
        }
      }),
    );
  });

  it('a word right after a skipped stretch lands at its true time; one cut by a join stays on its larger side', () => {
    // Speech 0-29 s, silence 29-101 s skipped, speech 101-160 s: engine time 29 s is recording time 101 s.
    const map: TimeMap = {
      sampleRate: RATE,
      kept: [
        { start: 0, end: 29 * RATE },
        { start: 101 * RATE, end: 160 * RATE },
      ],
    };
    const transcript = mapTranscriptTimes(
      {
        text: 'order please rise',
        words: [
          { text: 'order', start: 28.5, end: 28.9, segment: 0 },
          { text: 'please', start: 29.25, end: 29.7, segment: 0 },
        ],
        segments: [{ start: 28.5, end: 29.7, text: 'order please' }],
      },
      map,
    );
    expect(transcript.words.map((w) => [w.start, w.end])).toEqual([
      [28.5, 28.9],
      [101.25, 101.7],
    ]);
    expect(transcript.segments[0]).toMatchObject({ start: 28.5, end: 101.7 });
    expect(intervalMapper(map).word(28.9, 29.5)).toEqual({ start: 101, end: 101.5 });
    expect(intervalMapper(map).word(28.4, 29.1)).toEqual({ start: 28.4, end: 29 });
  });
});
