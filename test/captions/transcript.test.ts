import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTranscript, readTranscriptFile } from '../../src/lib/captions/transcript.js';
import { UsageError } from '../../src/lib/errors.js';
import { openAiJson, syntheticSpeech, whisperCppJson } from '../support/transcripts/generate.js';

const texts = (json: unknown): string[] => parseTranscript(json, 't.json').words.map((w) => w.text);

function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('openai-whisper and whisper-ctranslate2 JSON', () => {
  it('reads words, segments, language and text', () => {
    const spoken = syntheticSpeech(60, 3);
    const transcript = parseTranscript(openAiJson(spoken, 'en'), 'meeting.json');
    expect(transcript.language).toBe('en');
    expect(transcript.words.map((w) => w.text)).toEqual(spoken.map((w) => w.text));
    expect(transcript.words[0]).toEqual({ ...spoken[0], probability: 0.9, segment: 0 });
    expect(transcript.segments.length).toBeGreaterThan(1);
    expect(transcript.text.split(' ')).toEqual(spoken.map((w) => w.text));
  });

  it('repairs the quirks real engines produce', () => {
    const json = {
      text: ' Hello there.',
      language: null,
      segments: [
        { start: 0, end: 0, text: '', words: [] },
        {
          start: 1,
          end: 5,
          text: ' Hello  there, friend.',
          words: [
            { word: '  Hello ', start: 1, end: 1.6, probability: 0.9 },
            { word: ' ', start: 1.6, end: 1.6, probability: 0.1 },
            { word: ' there', start: 1.5, end: 1.5, probability: 0.8 },
            { word: ',', start: 1.9, end: 2.0, probability: 0.8 },
            { word: ' friend.', start: 1.4, end: 2.4, probability: 0.7 },
          ],
        },
      ],
    };
    const transcript = parseTranscript(json, 'quirks.json');
    expect(transcript.language).toBeUndefined();
    expect(transcript.words).toEqual([
      { text: 'Hello', start: 1, end: 1.5, probability: 0.9, segment: 0 },
      { text: 'there,', start: 1.5, end: 1.5, probability: 0.8, segment: 0 },
      { text: 'friend.', start: 1.5, end: 2.4, probability: 0.7, segment: 0 },
    ]);
    expect(transcript.segments).toEqual([{ start: 1, end: 5, text: 'Hello there, friend.' }]);
  });

  it('spreads a segment over its words by length when the engine gave no word times', () => {
    const transcript = parseTranscript(
      {
        segments: [
          { start: 10, end: 12, text: ' ab abc' },
          { start: 12, end: 13, text: '' },
        ],
      },
      'n.json',
    );
    expect(transcript.words.map((w) => [w.text, w.start, w.end])).toEqual([
      ['ab', 10, 10.8],
      ['abc', 10.8, 12],
    ]);
    expect(transcript.text).toBe('ab abc');
    const unaligned = parseTranscript({ segments: [{ start: 10, end: 12, text: ' ab abc', words: [] }] }, 'e.json');
    expect(unaligned.words.map((w) => w.text)).toEqual(['ab', 'abc']);
  });
});

describe('normalisation', () => {
  const w = (word: string, start: number, end = start + 0.3) => ({ word: ` ${word}`, start, end, probability: 0.9 });
  const segment = (words: ReturnType<typeof w>[], scores: Record<string, number | null> = {}) => ({
    start: words[0]?.start ?? 0,
    end: words.at(-1)?.end ?? 0,
    text: words.map((x) => x.word).join(''),
    words,
    ...scores,
  });

  it('puts words in time order whatever order the segments are listed in', () => {
    const transcript = parseTranscript(
      {
        segments: [
          segment([w('Good', 10), w('evening.', 10.4)]),
          // Music placed before the speech around it, and a merged pass out of order.
          segment([w('♪♪', 2, 9)]),
          segment([w('Item', 20), w('four.', 20.4)]),
          segment([w('Welcome', 12), w('back.', 12.4)]),
        ],
      },
      'merged.json',
    );
    expect(transcript.words.map((x) => [x.text, x.start])).toEqual([
      ['♪♪', 2],
      ['Good', 10],
      ['evening.', 10.4],
      ['Welcome', 12],
      ['back.', 12.4],
      ['Item', 20],
      ['four.', 20.4],
    ]);
    expect(transcript.segments.map((x) => x.text)).toEqual(['♪♪', 'Good evening.', 'Welcome back.', 'Item four.']);
    expect(transcript.words.map((x) => x.segment)).toEqual([0, 1, 1, 2, 2, 3, 3]);
    expect(transcript.repairs).toEqual({ reorderedSegments: 2, overlapWords: 0 });
  });

  it('keeps one copy of words a segment repeats from the one before over the same time, not a word said again', () => {
    const transcript = parseTranscript(
      {
        segments: [
          segment([w('the', 1), w('budget', 1.4), w('for', 1.8), w('roads.', 2.2)]),
          // Seek overlap: the next window starts by decoding "for roads." again.
          segment([w('for', 1.82), w('roads.', 2.21), w('Roads', 3.2), w('matter.', 3.6)]),
        ],
      },
      'overlap.json',
    );
    expect(transcript.words.map((x) => x.text)).toEqual(['the', 'budget', 'for', 'roads.', 'Roads', 'matter.']);
    expect(transcript.repairs).toEqual({ reorderedSegments: 0, overlapWords: 2 });
    const whole = parseTranscript(
      { segments: [segment([w('Thank', 1), w('you.', 1.4)]), segment([w('Thank', 1.01), w('you.', 1.41)])] },
      'x.json',
    );
    expect(whole.words.map((x) => x.text)).toEqual(['Thank', 'you.']);
    expect(whole.segments).toHaveLength(1);
  });

  it("keeps Whisper's segment scores; faster-whisper's nulls are accepted", () => {
    const transcript = parseTranscript(
      {
        segments: [
          segment([w('Hi.', 1)], { no_speech_prob: 0.85, avg_logprob: -1.2, compression_ratio: 2.6, temperature: 0.4 }),
          {
            start: 3,
            end: 4,
            text: ' There.',
            words: null,
            temperature: null,
            no_speech_prob: 0.1,
            avg_logprob: -0.2,
            compression_ratio: 1.1,
          },
        ],
      },
      'scores.json',
    );
    expect(transcript.segments).toEqual([
      { start: 1, end: 1.3, text: 'Hi.', noSpeechProb: 0.85, avgLogprob: -1.2, compressionRatio: 2.6, temperature: 0.4 },
      { start: 3, end: 4, text: 'There.', noSpeechProb: 0.1, avgLogprob: -0.2, compressionRatio: 1.1 },
    ]);
    expect(transcript.words.map((x) => x.text)).toEqual(['Hi.', 'There.']);
  });
});

describe('whisper.cpp JSON', () => {
  it('keeps the text of a segment written with "tokens": []', () => {
    const transcript = parseTranscript(
      {
        transcription: [
          { offsets: { from: 1000, to: 2000 }, text: ' Good evening.', tokens: [] },
          {
            offsets: { from: 2000, to: 3000 },
            text: ' Welcome.',
            tokens: [
              { text: ' Welcome', offsets: { from: 2000, to: 2600 }, p: 0.9 },
              { text: '.', offsets: { from: 2600, to: 2700 }, p: 0.9 },
            ],
          },
        ],
      },
      'empty-tokens.json',
    );
    expect(transcript.words.map((x) => x.text)).toEqual(['Good', 'evening.', 'Welcome.']);
  });

  it('joins sub-word tokens into words and drops special tokens and [BLANK_AUDIO]', () => {
    const spoken = syntheticSpeech(400, 5);
    const full = whisperCppJson(spoken, { full: true });
    expect(JSON.stringify(full)).toContain('[_TT_');
    expect(JSON.stringify(full)).toContain('BLANK_AUDIO');
    const transcript = parseTranscript(full, 'cpp.json');
    expect(transcript.language).toBe('en');
    expect(transcript.words.map((w) => w.text)).toEqual(spoken.map((w) => w.text));
    transcript.words.forEach((word, i) => {
      expect(word.start).toBeCloseTo(spoken[i]?.start ?? NaN, 3);
    });
    expect(transcript.segments.some((s) => s.text.includes('BLANK'))).toBe(false);
  });

  it('reads -oj output without tokens from segment offsets (milliseconds)', () => {
    const transcript = parseTranscript(
      {
        result: { language: 'en' },
        transcription: [
          { timestamps: { from: '00:00:00,000', to: '00:00:02,000' }, offsets: { from: 0, to: 2000 }, text: ' [BLANK_AUDIO]' },
          { timestamps: { from: '00:00:02,000', to: '00:00:04,000' }, offsets: { from: 2000, to: 4000 }, text: ' Good  evening.' },
        ],
      },
      'oj.json',
    );
    expect(transcript.words.map((w) => [w.text, w.start])).toEqual([
      ['Good', 2],
      ['evening.', 2 + (2 * 4) / 12],
    ]);
    expect(transcript.segments).toEqual([{ start: 2, end: 4, text: 'Good evening.' }]);
    expect(transcript.text).toBe('Good evening.');
  });

  it('continues a word split across segments and ignores empty tokens', () => {
    const token = (text: string, from: number, to: number) => ({ text, offsets: { from, to }, p: 0.5 });
    const words = texts({
      transcription: [
        { offsets: { from: 0, to: 1000 }, text: ' Minne', tokens: [token('[_BEG_]', 0, 0), token(' Minne', 0, 1000)] },
        {
          offsets: { from: 1000, to: 2000 },
          text: 'sota',
          tokens: [token('sota', 1000, 1500), token('', 1500, 1500), token(' is', 1500, 2000), token('[_TT_100]', 2000, 2000)],
        },
      ],
    });
    expect(words).toEqual(['Minnesota', 'is']);
    const special = texts({
      transcription: [
        {
          offsets: { from: 0, to: 1000 },
          text: ' Hi',
          tokens: ['[_SOT_]', '[_LANG_en]', '[_extra_token_50358]', ' Hi', '[_TT_50]'].map((t) => token(t, 0, 1000)),
        },
      ],
    });
    expect(special).toEqual(['Hi']);
  });

  it('falls back to segment times when tokens carry no offsets (whisper.cpp without token timestamps)', () => {
    const transcript = parseTranscript(
      {
        transcription: [
          {
            offsets: { from: 1000, to: 3000 },
            text: ' Good evening.',
            tokens: [
              { text: '[_BEG_]', p: 0.9 },
              { text: ' Good', p: 0.9 },
              { text: ' evening', p: 0.9 },
              { text: '.', p: 0.9 },
            ],
          },
        ],
      },
      'old.json',
    );
    expect(transcript.words.map((w) => [w.text, w.start])).toEqual([
      ['Good', 1],
      ['evening.', 1 + (2 * 4) / 12],
    ]);
  });
});

describe('malformed input', () => {
  it('names the file and the JSON path of the problem', () => {
    const error = usageErrorOf(() =>
      parseTranscript(
        {
          transcription: [
            { offsets: { from: 0, to: 1 }, text: 'a' },
            { offsets: { from: 0, to: 1 }, text: 'b' },
            { offsets: { from: 0, to: 1 }, text: 'c' },
            { offsets: { from: '5', to: 1 }, text: 'd' },
          ],
        },
        'meeting.json',
      ),
    );
    expect(error.message).toBe('meeting.json: transcription[3].offsets.from: expected a number, got string');
    const missing = usageErrorOf(() =>
      parseTranscript({ segments: [{ start: 0, end: 1, text: 'x', words: [{ word: 'x', start: 0 }] }] }, 'm.json'),
    );
    expect(missing.message).toBe('m.json: segments[0].words[0].end: expected a number, missing');
  });

  it('says when the JSON is not a Whisper transcript at all', () => {
    expect(usageErrorOf(() => parseTranscript([1, 2], 'list.json')).message).toMatch(/^list\.json: not a Whisper transcript/);
    expect(usageErrorOf(() => parseTranscript({ segments: 'x' }, 's.json')).message).toBe(
      's.json: segments: expected an array, got string',
    );
  });

  describe('files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'archivist-transcript-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads a transcript file', async () => {
      const path = join(dir, 'ok.json');
      await writeFile(path, JSON.stringify(openAiJson(syntheticSpeech(10, 1))));
      expect((await readTranscriptFile(path)).words).toHaveLength(10);
    });

    it('names the file on invalid JSON syntax and on a missing file', async () => {
      const path = join(dir, 'broken.json');
      await writeFile(path, '{"segments": [');
      await expect(readTranscriptFile(path)).rejects.toThrow(new RegExp(`^${path}: invalid JSON`));
      await expect(readTranscriptFile(join(dir, 'nope.json'))).rejects.toBeInstanceOf(UsageError);
    });
  });
});
