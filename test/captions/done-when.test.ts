/**
 * Issue 14's "Done when" figures on generated three-hour meetings with every failure mode
 * engines show (test/support/transcripts/generate.ts, `troubledMeeting`), read back by our
 * decoder and by two decoders we did not write (`@svta/cml-608`, mux.js), and FFmpeg.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSccText } from '../../src/lib/captions/cea608.js';
import { buildCaptions, formatCaptions, type CaptionBuild } from '../../src/lib/captions/files.js';
import { filterHallucinations } from '../../src/lib/captions/hallucinations.js';
import { decodeScc, type DecodedCaption } from '../../src/lib/captions/scc-decode.js';
import { parseTranscript, type Transcript } from '../../src/lib/captions/transcript.js';
import { openAiJson, troubledMeeting, whisperCppJson } from '../support/transcripts/generate.js';
import { captionWords, captionsInSilence, comparable, shareInOrder, timingFigures } from '../support/transcripts/measure.js';
import { readWithCml608, readWithFfmpeg, readWithMuxJs } from './readers.js';

const meeting = troubledMeeting(20000, 7);
const FRAME = 1001 / 30000;

interface Run {
  transcript: Transcript;
  built: CaptionBuild;
  scc: string;
  played: DecodedCaption[];
}

function run(json: Record<string, unknown>, name: string): Run {
  const transcript = parseTranscript(JSON.parse(JSON.stringify(json)), name);
  const built = buildCaptions(transcript, { source: name, durationSeconds: (meeting.spoken.at(-1)?.end ?? 0) + 30 });
  const scc = built.scc?.text ?? '';
  const decoded = decodeScc(scc);
  expect(decoded.problems).toEqual([]);
  return { transcript, built, scc, played: decoded.captions };
}

/** What SCC can show of the spoken words, in order (other scripts are left out). */
const sccSpoken = meeting.spoken.map((w) => toSccText(w.text).text).filter((w) => comparable(w) !== '');
/** Quotes and apostrophes as the readers' tables differ on them (mux.js shows ’ as '). */
const fold = (text: string): string => text.replace(/[‘’´']/g, "'");

describe('three-hour meetings with every failure mode', () => {
  it('covers more than three hours, with hallucinations in its silences and speech in other scripts', () => {
    expect(meeting.spoken.at(-1)?.end).toBeGreaterThan(3 * 3600);
    expect(meeting.hallucinations).toBeGreaterThan(100);
    expect(meeting.spoken.some((w) => /\p{Script=Han}/u.test(w.text))).toBe(true);
    expect(meeting.plan.some((s) => s.emptyTokens)).toBe(true);
  });

  for (const [engine, json] of [
    ['openai-whisper / faster-whisper', () => openAiJson(meeting.plan)],
    ['whisper.cpp -ojf', () => whisperCppJson(meeting.plan, { full: true })],
  ] as const) {
    describe(engine, () => {
      let result: Run;
      beforeAll(() => {
        result = run(json(), `${engine}.json`);
      });

      it('puts at least 99.5% of the spoken words back on screen in order, as three decoders read them', () => {
        const ours = result.played.flatMap((c) => c.lines.join(' ').split(' '));
        expect(shareInOrder(sccSpoken, ours)).toBeGreaterThanOrEqual(0.995);
        const cml = readWithCml608(result.scc);
        const mux = readWithMuxJs(result.scc);
        expect(cml.map((c) => c.text)).toEqual(result.played.map((c) => c.lines.join(' ')));
        expect(mux.map((c) => fold(c.text))).toEqual(result.played.map((c) => fold(c.lines.join(' '))));
        // Their times, from the byte pairs and our drop-frame times, agree with ours to the frame.
        cml.forEach((cue, i) => {
          expect(Math.abs(cue.start - (result.played[i]?.start ?? NaN))).toBeLessThan(FRAME / 2);
        });
        mux.forEach((cue, i) => {
          expect(Math.abs(cue.end - (result.played[i]?.end ?? NaN))).toBeLessThan(FRAME / 2);
        });
      });

      it('meets the timing and line-break figures', () => {
        const words = filterHallucinations(result.transcript).transcript.words;
        const figures = timingFigures(result.built.captions, result.played, words);
        expect(figures.worstEarly).toBeLessThanOrEqual(0);
        expect(figures.within200ms).toBeGreaterThanOrEqual(0.95);
        expect(figures.worstLate).toBeLessThanOrEqual(1.2);
        expect(figures.under1_5s).toBeLessThanOrEqual(0.01);
        expect(figures.twoRowFunctionWordBreaks).toBeLessThanOrEqual(0.05);
        expect(figures.over200wpm).toBeLessThanOrEqual(0.02);
        expect(figures.shortPausesBlank).toBeLessThanOrEqual(0.2);
      });

      it('shows no hallucination: nothing in the silences, no loop in any caption, each dropped segment with its reason', () => {
        expect(captionsInSilence(result.played, meeting.silences)).toEqual([]);
        const shown = result.played.map((c) => c.lines.join(' ')).join('\n');
        expect(shown).not.toMatch(/thanks for watching|please subscribe|\b(?:the ){4,}the\b/i);
        expect(result.built.dropped.length).toBeGreaterThanOrEqual(meeting.hallucinations);
        expect(result.built.dropped.every((d) => d.start >= 0 && d.detail !== '')).toBe(true);
        expect(result.transcript.repairs?.reorderedSegments).toBeGreaterThan(0);
        expect(result.transcript.repairs?.overlapWords).toBeGreaterThan(0);
      });

      it('keeps every script in SRT and WebVTT, exactly and in order', () => {
        const words = filterHallucinations(result.transcript).transcript.words;
        // Every word said, and nothing else, as the engine wrote it.
        expect(words.map((w) => w.text)).toEqual(meeting.spoken.map((w) => w.text));
        for (const format of ['srt', 'vtt'] as const) {
          const text = formatCaptions(result.built.captions, format);
          const cues = text
            .split('\n\n')
            .map((cue) => cue.split('\n'))
            .filter((lines) => lines.some((line) => line.includes(' --> ')))
            .map((lines) => lines.slice(lines.findIndex((line) => line.includes(' --> ')) + 1).filter((line) => line !== ''))
            .filter((lines) => lines.length > 0)
            .map((lines) => ({
              start: 0,
              end: 0,
              lines: lines.map((line) => line.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')),
            }));
          // Throws unless the cues show exactly these words, in this order.
          expect(captionWords(cues, words)).toHaveLength(result.built.captions.length);
          for (const script of ['我们现在开始开会。', 'Добрый', 'שלום', 'مرحبا', '👍🎉', 'Æsir', 'œuvre', '¼', 'budget…', '–']) {
            expect(text).toContain(script);
          }
        }
      });

      it('says what SCC could not carry, and shows a note where a whole line is another script', () => {
        expect(result.built.quality.sccUncarried).toBeGreaterThan(0);
        expect(result.built.quality.sccNotes).toBeGreaterThan(0);
        expect(result.played.some((c) => c.lines.some((line) => /^\[\p{L}+ text\]$/u.test(line)))).toBe(true);
        expect(result.played.every((c) => c.lines.every((line) => line.length <= 32 && line.trim() !== ''))).toBe(true);
      });
    });
  }

  describe('FFmpeg', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'archivist-done-when-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads the same captions from the three-hour SCC, in the same order', async () => {
      const result = run(whisperCppJson(meeting.plan, { full: false }), 'meeting-oj.json');
      const path = join(dir, 'meeting.scc');
      await writeFile(path, result.scc);
      const theirs = await readWithFfmpeg(path);
      // FFmpeg's tables show — as - and • as ·; fold those with the quotes.
      const folded = (text: string): string => fold(text).replace(/[—-]/g, '-');
      expect(theirs.map(folded)).toEqual(result.played.map((c) => folded(c.lines.join(' '))));
      expect(shareInOrder(sccSpoken, theirs.join(' ').split(' '))).toBeGreaterThanOrEqual(0.995);
    });
  });
});
