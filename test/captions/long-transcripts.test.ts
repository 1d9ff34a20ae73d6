import { describe, expect, it } from 'vitest';
import { captionsFromTranscript } from '../../src/lib/captions/files.js';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { encodeScc } from '../../src/lib/captions/scc-encode.js';
import { parseTranscript } from '../../src/lib/captions/transcript.js';
import { captionWords } from '../support/transcripts/measure.js';
import { openAiJson, syntheticSpeech, whisperCppJson } from '../support/transcripts/generate.js';

const FRAME = 1001 / 30000;
const spoken = syntheticSpeech(20000, 7);

const engines = {
  'openai-whisper / whisper-ctranslate2': () => openAiJson(spoken),
  'whisper.cpp -ojf (tokens)': () => whisperCppJson(spoken, { full: true }),
  'whisper.cpp -oj (segments only)': () => whisperCppJson(spoken, { full: false }),
};

describe('three-hour transcripts', () => {
  it('covers more than three hours and 20,000 words', () => {
    expect(spoken.length).toBe(20000);
    expect(spoken.at(-1)?.end).toBeGreaterThan(3 * 3600);
  });

  for (const [engine, json] of Object.entries(engines)) {
    it(`${engine}: every caption appears within half a second of its first word, to the end of the file`, () => {
      const transcript = parseTranscript(JSON.parse(JSON.stringify(json())), `${engine}.json`);
      const captions = captionsFromTranscript(transcript, { maxRows: 2 });
      const { captions: played, problems } = decodeScc(encodeScc(captions));
      expect(problems).toEqual([]);
      expect(played).toHaveLength(captions.length);
      const firsts = captionWords(played, transcript.words).map((span) => span.first);
      let worst = 0;
      played.forEach((caption, i) => {
        const offset = caption.start - (firsts[i]?.start ?? NaN);
        expect(offset).toBeGreaterThanOrEqual(-FRAME);
        expect(offset).toBeLessThanOrEqual(0.5);
        worst = Math.max(worst, Math.abs(offset));
      });
      expect(played.at(-1)?.start).toBeGreaterThan(3 * 3600);
      expect(worst).toBeLessThanOrEqual(0.5);
    });
  }
});
