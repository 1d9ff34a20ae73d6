import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCaptions, formatCaptions, NoSpeechError, writeCaptionFiles } from '../../src/lib/captions/files.js';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { parseTranscript } from '../../src/lib/captions/transcript.js';

const words = (text: string, start: number, probability = 0.9) =>
  text.split(' ').map((word, i) => ({ word: ` ${word}`, start: start + i * 0.4, end: start + i * 0.4 + 0.35, probability }));
const segment = (text: string, start: number, scores: Record<string, number> = {}, probability = 0.9) => {
  const w = words(text, start, probability);
  return { start, end: w.at(-1)?.end ?? start, text: ` ${text}`, words: w, ...scores };
};

const meeting = parseTranscript(
  {
    segments: [
      segment('Good evening, Council member Kowalski.', 1),
      segment('This shitty budget is late.', 4, {}, 0.3),
      segment('Thank you.', 30, { no_speech_prob: 0.9, avg_logprob: -1.4 }),
      segment('Добрый вечер 你好 — œuvre ¼.', 60),
    ],
  },
  'meeting.json',
);

describe('buildCaptions', () => {
  it('drops hallucinations, applies substitutions and masking, and reports the figures', () => {
    const built = buildCaptions(meeting, {
      source: 'meeting.json',
      durationSeconds: 120,
      substitutions: [
        { from: 'Council member', to: 'Councilmember' },
        { from: 'Kowalski', to: 'Kowalczyk' },
      ],
      profanity: { mode: 'mask' },
    });
    const srt = formatCaptions(built.captions, 'srt');
    const text = built.captions.map((c) => c.lines.join(' ')).join(' ');
    expect(text).toContain('Good evening, Councilmember Kowalczyk.');
    expect(text).toContain('This s***** budget is late.');
    expect(srt).not.toContain('Thank you');
    // SRT keeps what SCC cannot carry; the SCC leaves it out and counts it.
    expect(srt).toContain('Добрый вечер 你好 — œuvre ¼.');
    expect(
      decodeScc(built.scc?.text ?? '')
        .captions.flatMap((c) => c.lines)
        .join(' '),
    ).toContain('— oeuvre 1/4.');
    expect(built).toMatchObject({ noSpeech: false, substitutions: 2, masked: 1 });
    expect(built.dropped).toMatchObject([{ text: 'Thank you.', reason: 'no-speech' }]);
    expect(built.quality).toMatchObject({
      words: 15,
      captions: built.captions.length,
      captionsUnder1_5s: 0,
      lowProbabilityShare: Math.round((5 / 15) * 1e4) / 1e4,
      droppedSegments: { 'no-speech': 1, 'compression-ratio': 0, repetition: 0, 'dead-air-phrase': 0 },
      sccUncarried: 13,
      reorderedSegments: 0,
      overlapWords: 0,
    });
    expect(built.quality.wordsPerMinute).toBeGreaterThan(60);
    expect(built.quality.wordsPerMinute).toBeLessThan(180);
  });

  it('says when there is no speech, and writes no files for it', async () => {
    const silent = parseTranscript({ segments: [segment('Thanks for watching!', 300)] }, 'silent.json');
    const built = buildCaptions(silent);
    expect(built).toMatchObject({ noSpeech: true, captions: [], scc: undefined });
    expect(built.dropped).toMatchObject([{ reason: 'dead-air-phrase' }]);
    expect(buildCaptions(parseTranscript({ segments: [] }, 'empty.json')).noSpeech).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'archivist-build-'));
    try {
      await expect(writeCaptionFiles({ captions: [], outDir: dir, name: 'silent', formats: ['scc', 'srt'] })).rejects.toBeInstanceOf(
        NoSpeechError,
      );
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
