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
    expect(transcript.words[0]).toEqual({ ...spoken[0], probability: 0.9 });
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
      { text: 'Hello', start: 1, end: 1.5, probability: 0.9 },
      { text: 'there,', start: 1.5, end: 1.5, probability: 0.8 },
      { text: 'friend.', start: 1.5, end: 2.4, probability: 0.7 },
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

describe('whisper.cpp JSON', () => {
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
