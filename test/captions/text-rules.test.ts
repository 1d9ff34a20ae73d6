import { describe, expect, it } from 'vitest';
import { maskProfanity } from '../../src/lib/captions/profanity.js';
import { applySubstitutions } from '../../src/lib/captions/substitutions.js';
import type { Transcript } from '../../src/lib/captions/transcript.js';

function said(text: string): Transcript {
  const words = text.split(' ').map((word, i) => ({ text: word, start: i, end: i + 0.8, probability: 0.9, segment: 0 }));
  return { text, words, segments: [{ start: 0, end: words.length, text }] };
}
const shown = (t: Transcript): string => t.words.map((w) => w.text).join(' ');

describe('applySubstitutions', () => {
  const rules = [
    { from: 'Council member', to: 'Councilmember' },
    { from: 'Louis met', to: 'Louismet' },
    { from: 'wbl', to: 'White Bear Lake' },
    { from: 'stormwater', to: 'storm water' },
  ];

  it("replaces whole words in any case, across words, keeping punctuation and the words' time", () => {
    const result = applySubstitutions(said('"Council member Hoffman, thank you. COUNCIL MEMBER Jones and Mayor Louis met, in WBL.'), rules);
    expect(shown(result.transcript)).toBe('"Councilmember Hoffman, thank you. COUNCILMEMBER Jones and Mayor Louismet, in WHITE BEAR LAKE.');
    expect(result.replaced).toBe(4);
    const merged = result.transcript.words[0];
    expect(merged).toEqual({ text: '"Councilmember', start: 0, end: 1.8, probability: 0.9, segment: 0 });
    const spread = result.transcript.words.slice(-3);
    expect(spread.map((w) => [w.text, w.start])).toEqual([
      ['WHITE', 13],
      ['BEAR', 13 + 0.8 / 3],
      ['LAKE.', 13 + 1.6 / 3],
    ]);
  });

  it('leaves parts of words, words split by punctuation and its own replacements alone; capitalises at a sentence start', () => {
    const result = applySubstitutions(said('Councilmembers met. Council, member of wbl-area. Stormwater fees.'), rules);
    expect(shown(result.transcript)).toBe('Councilmembers met. Council, member of wbl-area. Storm water fees.');
    expect(applySubstitutions(said('no rules here'), []).transcript.words).toHaveLength(3);
    expect(() => applySubstitutions(said('x'), [{ from: ' ', to: 'y' }])).toThrow(/nothing to find/);
  });
});

describe('maskProfanity', () => {
  it('masks listed words and their endings, keeping the first letter, punctuation and time', () => {
    const result = maskProfanity(said('What the fuck, this is bullshit! Shitty Fucking assessment in Scunthorpe, classic.'), {
      mode: 'mask',
    });
    expect(shown(result.transcript)).toBe('What the f***, this is b*******! S***** F****** assessment in Scunthorpe, classic.');
    expect(result.masked).toBe(4);
    expect(result.transcript.words[2]).toMatchObject({ start: 2, end: 2.8 });
  });

  it('keeps everything by default, and takes its own list', () => {
    const input = said('Well damn.');
    expect(maskProfanity(input)).toEqual({ transcript: input, masked: 0 });
    expect(shown(maskProfanity(input, { mode: 'mask', words: ['damn'] }).transcript)).toBe('Well d***.');
  });
});
