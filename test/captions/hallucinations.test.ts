import { describe, expect, it } from 'vitest';
import { compressionRatio, filterHallucinations } from '../../src/lib/captions/hallucinations.js';
import { parseTranscript, type Transcript } from '../../src/lib/captions/transcript.js';

type Scores = Partial<Record<'no_speech_prob' | 'avg_logprob' | 'compression_ratio' | 'temperature', number>> & {
  /** Every word's probability. */
  probability?: number;
};

/** An openai-whisper transcript of [text, start, scores] segments, each word 0.4 s. */
function transcript(segments: [string, number, Scores?][]): Transcript {
  return parseTranscript(
    {
      segments: segments.map(([text, start, scores = {}]) => {
        const { probability, ...segmentScores } = scores;
        const words = text.split(' ').map((word, i) => ({
          word: ` ${word}`,
          start: start + i * 0.4,
          end: start + i * 0.4 + 0.35,
          ...(probability === undefined ? {} : { probability }),
        }));
        return { start, end: words.at(-1)?.end ?? start, text: ` ${text}`, words, ...segmentScores };
      }),
    },
    'meeting.json',
  );
}

/** What Whisper writes for speech it is sure of. */
const SURE: Scores = { no_speech_prob: 0.04, avg_logprob: -0.28, compression_ratio: 0.9, temperature: 0, probability: 0.93 };

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

  it('keeps a roll call Whisper was sure of, as one segment or one segment per voice, when it is asked for', () => {
    const meeting = transcript([
      ['All those in favor?', 100, SURE],
      ['Aye. Aye. Aye.', 101.7, SURE],
      ['Opposed? The motion carries.', 103.5, SURE],
      ['Roll call on the motion.', 120, SURE],
      ['Aye.', 121.8, SURE],
      ['Aye.', 122.6, SURE],
      ['Aye.', 123.4, SURE],
      ['Aye.', 124.2, SURE],
      ['Aye.', 125, SURE],
    ]);
    const { transcript: kept, dropped } = filterHallucinations(meeting);
    expect(dropped).toEqual([]);
    expect(kept.words.map((w) => w.text).filter((w) => w === 'Aye.')).toHaveLength(8);
  });

  it('drops the same repeats as a loop when something says Whisper made them up', () => {
    const around = (loop: [string, number, Scores?][]): [string, number, Scores?][] => [
      ['All those in favor?', 100, SURE],
      ...loop,
      ['Opposed? The motion carries.', 110, SURE],
    ];
    const cases: [string, [string, number, Scores?][], string][] = [
      // In dead air: nothing else is said within 3 s, however sure Whisper was.
      ['dead air', [['Aye. Aye. Aye.', 50, SURE]], '"Aye." 3 times in a row; nothing else said within 3 s'],
      [
        'dead air, over segments',
        [
          ['Thank you.', 40, SURE],
          ['Thank you.', 42, SURE],
          ['Thank you.', 44, SURE],
        ],
        '"Thank you." in 3 segments in a row; nothing else said within 3 s',
      ],
      ['a fallback decode', [['Aye. Aye. Aye.', 101.7, { ...SURE, temperature: 0.4 }]], 'decoded on a fallback (temperature 0.4)'],
      ['no speech', [['Aye. Aye. Aye.', 101.7, { ...SURE, no_speech_prob: 0.7 }]], 'no_speech_prob 0.7'],
      ['a failed decode', [['Aye. Aye. Aye.', 101.7, { ...SURE, avg_logprob: -1.3 }]], 'avg_logprob -1.3'],
      ['unlikely words', [['Aye. Aye. Aye.', 101.7, { ...SURE, probability: 0.31 }]], 'mean word probability 0.31'],
      [
        'longer than a roll call',
        [[Array.from({ length: 16 }, () => 'Aye.').join(' '), 101.7, SURE]],
        '"Aye." 16 times in a row; more than a roll call (15)',
      ],
    ];
    for (const [name, loop, why] of cases) {
      const input = name.startsWith('dead air')
        ? transcript([['Motion carries.', 0, SURE], ...loop, ['Next item.', 80, SURE]])
        : transcript(around(loop));
      const { transcript: kept, dropped } = filterHallucinations(input);
      expect(
        dropped.map((d) => d.reason),
        name,
      ).toEqual(loop.map(() => 'repetition'));
      expect(dropped[0]?.detail, name).toContain(why);
      expect(kept.segments, name).toHaveLength(2);
    }
  });

  it('keeps everything in "keep" mode', () => {
    const input = transcript([...speech, ['Thanks for watching!', 30, { no_speech_prob: 0.9, avg_logprob: -2 }]]);
    expect(filterHallucinations(input, { mode: 'keep' })).toEqual({ transcript: input, dropped: [] });
  });
});
