import { describe, expect, it } from 'vitest';
import { compressionRatio, filterHallucinations } from '../../src/lib/captions/hallucinations.js';
import { parseTranscript, type Transcript } from '../../src/lib/captions/transcript.js';

type Scores = Partial<Record<'no_speech_prob' | 'avg_logprob' | 'compression_ratio', number>>;

/** An openai-whisper transcript of [text, start, scores] segments, each word 0.4 s. */
function transcript(segments: [string, number, Scores?][]): Transcript {
  return parseTranscript(
    {
      segments: segments.map(([text, start, scores]) => {
        const words = text.split(' ').map((word, i) => ({ word: ` ${word}`, start: start + i * 0.4, end: start + i * 0.4 + 0.35 }));
        return { start, end: words.at(-1)?.end ?? start, text: ` ${text}`, words, ...scores };
      }),
    },
    'meeting.json',
  );
}

const speech: [string, number, Scores?][] = [
  ['The council will now consider item four.', 0],
  ['Motion to approve the budget.', 60],
];

const texts = (t: Transcript): string[] => t.segments.map((s) => s.text);

describe('filterHallucinations', () => {
  it('drops what Whisper itself marks as silence (no_speech_prob > 0.6 with avg_logprob <= -1), not a confident segment', () => {
    const { transcript: kept, dropped } = filterHallucinations(
      transcript([
        ...speech,
        ['Thank you for your time tonight.', 20, { no_speech_prob: 0.86, avg_logprob: -1.25 }],
        ['We will take a short recess now.', 40, { no_speech_prob: 0.86, avg_logprob: -0.4 }],
      ]),
    );
    expect(texts(kept)).toEqual([
      'The council will now consider item four.',
      'We will take a short recess now.',
      'Motion to approve the budget.',
    ]);
    expect(dropped).toEqual([
      {
        segment: 1,
        start: 20,
        end: 22.35,
        text: 'Thank you for your time tonight.',
        reason: 'no-speech',
        detail: 'no_speech_prob 0.86, avg_logprob -1.25',
      },
    ]);
    expect(kept.words.every((w) => w.segment !== undefined && kept.segments[w.segment] !== undefined)).toBe(true);
  });

  it("drops repetition loops: compression ratio over 2.4 (the engine's, or computed for whisper.cpp), a phrase three times, a phrase over three segments", () => {
    const loop = Array.from({ length: 14 }, () => 'the').join(' ');
    expect(compressionRatio(loop)).toBeGreaterThan(2.4);
    expect(compressionRatio('The council will now consider item four.')).toBeLessThan(2.4);
    const { transcript: kept, dropped } = filterHallucinations(
      transcript([
        ...speech,
        ['I think we should vote.', 10, { compression_ratio: 2.9 }],
        [loop, 20],
        ['Thank you. Thank you. Thank you.', 30],
        ['Go ahead.', 40],
        ['Go ahead.', 42],
        ['Go ahead.', 44],
      ]),
    );
    expect(texts(kept)).toEqual(speech.map(([text]) => text));
    expect(dropped.map((d) => [d.text.slice(0, 24), d.reason])).toEqual([
      ['I think we should vote.', 'compression-ratio'],
      ['the the the the the the ', 'compression-ratio'],
      ['Thank you. Thank you. Th', 'repetition'],
      ['Go ahead.', 'repetition'],
      ['Go ahead.', 'repetition'],
      ['Go ahead.', 'repetition'],
    ]);
  });

  it('cuts a loop Whisper added after real words, keeping the words and one copy; "no, no, no" in a sentence stays', () => {
    const { transcript: kept, dropped } = filterHallucinations(
      transcript([
        ['We move to item five and and and and and and', 0],
        ['No, no, no, that is not what we agreed.', 10],
      ]),
    );
    expect(kept.words.map((w) => w.text).join(' ')).toBe('We move to item five and No, no, no, that is not what we agreed.');
    expect(dropped).toMatchObject([{ segment: 0, reason: 'repetition', partial: true, text: 'and and and and and' }]);
  });

  it('drops a stock phrase said into silence, not one said among speech', () => {
    const { transcript: kept, dropped } = filterHallucinations(
      transcript([
        ['Motion carries.', 0],
        ['Thank you.', 1.5],
        ['Thanks for watching!', 30],
        ['The meeting is adjourned.', 60],
      ]),
    );
    expect(texts(kept)).toEqual(['Motion carries.', 'Thank you.', 'The meeting is adjourned.']);
    expect(dropped).toMatchObject([{ text: 'Thanks for watching!', reason: 'dead-air-phrase', detail: 'no other speech within 3 s' }]);
    const custom = filterHallucinations(
      transcript([
        ['Motion carries.', 0],
        ['Go Bears!', 30],
      ]),
      { deadAirPhrases: ['go bears'], isolationSeconds: 10 },
    );
    expect(custom.dropped.map((d) => d.text)).toEqual(['Go Bears!']);
  });

  it('keeps everything in "keep" mode', () => {
    const input = transcript([...speech, ['Thanks for watching!', 30, { no_speech_prob: 0.9, avg_logprob: -2 }]]);
    expect(filterHallucinations(input, { mode: 'keep' })).toEqual({ transcript: input, dropped: [] });
  });
});
