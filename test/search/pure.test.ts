import { describe, expect, it } from 'vitest';
import { locateMatch, matchSentence } from '../../src/lib/search/locate.js';
import { passageRows } from '../../src/lib/search/passages.js';
import { queryPhrases } from '../../src/lib/search/tsquery.js';
import { paragraphs } from '../../src/lib/transcript/paragraphs.js';

describe('queryPhrases', () => {
  it('reads phrases, distances over stop words, alternatives, and leaves out negated terms', () => {
    expect(queryPhrases("'patio' <-> 'permit' & 'fee'")).toEqual([
      [
        { lexeme: 'patio', offset: 0 },
        { lexeme: 'permit', offset: 1 },
      ],
      [{ lexeme: 'fee', offset: 0 }],
    ]);
    expect(queryPhrases("'patio' <2> 'permit' | 'deck'")).toEqual([
      [
        { lexeme: 'patio', offset: 0 },
        { lexeme: 'permit', offset: 2 },
      ],
      [{ lexeme: 'deck', offset: 0 }],
    ]);
    expect(queryPhrases("'patio' & !'fee' & !( 'side' <-> 'yard' )")).toEqual([[{ lexeme: 'patio', offset: 0 }]]);
    expect(queryPhrases("'o''brien'")).toEqual([[{ lexeme: "o'brien", offset: 0 }]]);
    expect(queryPhrases('')).toEqual([]);
  });
});

describe('locateMatch', () => {
  const lexemes = (entries: [number, string[]][]) => new Map(entries.map(([i, l]) => [i, new Set(l)]));

  it('finds the first place the phrase stands in order, not its words apart', () => {
    const phrase = [
      { lexeme: 'patio', offset: 0 },
      { lexeme: 'permit', offset: 1 },
    ];
    // "patio ... permit patio permit": the words apart first, then the phrase at 3-4.
    expect(
      locateMatch(
        [phrase],
        lexemes([
          [0, ['patio']],
          [2, ['permit']],
          [3, ['patio']],
          [4, ['permit']],
        ]),
      ),
    ).toEqual({ first: 3, last: 4 });
  });

  it('spans every phrase of the query, and falls back to a word the database matched', () => {
    const two = [[{ lexeme: 'fee', offset: 0 }], [{ lexeme: 'deck', offset: 0 }]];
    expect(
      locateMatch(
        two,
        lexemes([
          [7, ['deck']],
          [2, ['fee']],
        ]),
      ),
    ).toEqual({ first: 2, last: 7 });
    const phrase = [
      { lexeme: 'don', offset: 0 },
      { lexeme: 't', offset: 1 },
    ];
    expect(locateMatch([phrase], lexemes([[5, ['don', 't']]]))).toEqual({ first: 5, last: 5 });
    expect(locateMatch([phrase], new Map())).toBeUndefined();
  });
});

describe('matchSentence', () => {
  it('marks the match inside its own sentence', () => {
    const words = 'Good evening. We discussed the patio permit today. Then we adjourned.'.split(' ');
    expect(matchSentence(words, { first: 5, last: 6 })).toBe('We discussed the «patio permit» today.');
  });

  it('cuts a sentence that runs on', () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    const text = matchSentence(words, { first: 50, last: 50 });
    expect(text.startsWith('… w25 ')).toBe(true);
    expect(text.endsWith(' w75 …')).toBe(true);
    expect(text).toContain('«w50»');
  });
});

describe('paragraphs and passages', () => {
  const word = (text: string, start: number) => ({ text, start, end: start + 0.3 });

  it('break at pauses, keep every word once, and give one time per word of the text', () => {
    const words = [word('Good', 0), word('evening.', 0.5), word('Item one', 4), word('is', 4.5)];
    expect(paragraphs(words).map((p) => p.words.map((w) => w.text))).toEqual([
      ['Good', 'evening.'],
      ['Item one', 'is'],
    ]);
    const rows = passageRows(words);
    expect(rows[1]).toEqual({ position: 1, text: 'Item one is', starts_ms: [4000, 4000, 4500], ends_ms: [4300, 4300, 4800] });
  });

  it('break a long stretch without pauses at a sentence end', () => {
    const words = Array.from({ length: 300 }, (_, i) => word(i % 50 === 49 ? 'end.' : 'word', i * 0.4));
    const sizes = paragraphs(words).map((p) => p.words.length);
    expect(sizes).toEqual([150, 150]);
  });
});
