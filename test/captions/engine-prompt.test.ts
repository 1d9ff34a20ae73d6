import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { buildEnginePrompt, ENGINE_PROMPT_TOKENS, enginePromptArgs, estimateTokens } from '../../src/lib/transcription/prompt.js';

/** Whisper's English tokenizer is GPT-2's byte-level BPE (its multilingual one is a superset). */
const gpt2 = getEncoding('gpt2');

const NAMES = [
  'White Bear Lake City Council',
  'Mayor Dan Louismet',
  'Councilmember Kowalczyk',
  'Przybylski',
  'Szczepański',
  'Xiong',
  'Nguyen',
  'Abdirahman Mohamud',
  'Vadnais Heights',
  'Mahtomedi',
  'Buerkle Road',
  'Bjørnstad',
  'Ngozi Okonkwo-Iweala',
  'Xochitl',
  'Ōtsuka',
  'Highway 61',
  'I-694',
  'Wojciechowski',
  'Đặng Thị Ngọc',
  'Ærøskøbing',
  'Hernández',
  'Rzeszów',
  'Qwghlm',
  '北京市',
];

describe('estimateTokens', () => {
  it('never counts fewer tokens than the tokenizer uses, and not wildly more', () => {
    let actual = 0;
    let estimate = 0;
    for (const name of NAMES) {
      const tokens = gpt2.encode(` ${name}`).length;
      expect(estimateTokens(` ${name}`), name).toBeGreaterThanOrEqual(tokens);
      actual += tokens;
      estimate += estimateTokens(` ${name}`);
    }
    expect(estimate / actual).toBeLessThan(2);
  });
});

describe('buildEnginePrompt', () => {
  it('puts the titles first, then the terms most specific first, each once', () => {
    const { prompt, omitted } = buildEnginePrompt({
      titles: ['White Bear Lake City Council', 'white bear lake city council', 'Planning Commission'],
      vocabulary: [
        ['Mayor Dan Louismet', 'Kowalczyk', 'Hoffman Road'],
        ['kowalczyk', 'Ramsey County', ''],
      ],
    });
    expect(prompt).toBe('White Bear Lake City Council. Planning Commission. Mayor Dan Louismet, Kowalczyk, Hoffman Road, Ramsey County.');
    expect(omitted).toEqual([]);
  });

  it("stays within the engine's prompt length by the tokenizer's count, naming what it left out", () => {
    const many = Array.from({ length: 200 }, (_, i) => `Resident${i} Wojciechowski`);
    const built = buildEnginePrompt({ titles: ['City Council'], vocabulary: [many] });
    expect(built.estimatedTokens).toBeLessThanOrEqual(ENGINE_PROMPT_TOKENS);
    expect(gpt2.encode(` ${built.prompt}`).length).toBeLessThanOrEqual(ENGINE_PROMPT_TOKENS);
    expect(built.omitted.length).toBeGreaterThan(100);
    expect(built.prompt.startsWith('City Council. Resident0 Wojciechowski, ')).toBe(true);
    expect(buildEnginePrompt({ vocabulary: [] })).toEqual({ prompt: '', estimatedTokens: 0, omitted: [] });
  });

  it('gives each engine its flag', () => {
    expect(enginePromptArgs('whisper-cpp', 'Kowalczyk.')).toEqual(['--prompt', 'Kowalczyk.']);
    expect(enginePromptArgs('openai-whisper', 'Kowalczyk.')).toEqual(['--initial_prompt=Kowalczyk.']);
    expect(enginePromptArgs('faster-whisper', '-Kowalczyk-')).toEqual(['--initial_prompt=-Kowalczyk-']);
    expect(enginePromptArgs('faster-whisper', '')).toEqual([]);
  });
});
