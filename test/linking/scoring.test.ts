import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterUnmatched, retryDelayHours } from '../../src/lib/linking/link-state.js';
import { parseLinkTarget } from '../../src/lib/linking/link-target.js';
import { titleTokens } from '../../src/lib/linking/normalize-title.js';
import {
  dateScore,
  dayDistance,
  isoDay,
  pickCandidate,
  rankCandidates,
  runtimeScore,
  scoreCandidate,
  type ShowFacts,
} from '../../src/lib/linking/score.js';
import { editDistanceAtMost, titleSimilarity, tokenSetDice } from '../../src/lib/linking/similarity.js';
import { renderWritebackValue } from '../../src/lib/linking/writeback.js';

describe('title normalisation', () => {
  it('ignores case, punctuation and generic words', () => {
    expect(titleTokens('Birchwood City Council')).toEqual(['birchwood', 'council']);
    expect(titleTokens('BIRCHWOOD: Council Meeting!')).toEqual(['birchwood', 'council']);
    expect(titleTokens('Parks & Rec Comm.')).toEqual(['parks', 'rec', 'commission']);
  });

  it('drops dates written in titles', () => {
    for (const title of [
      'Council 1/11/22',
      'Council 01-11-2022',
      'Council 2022-01-11',
      'Council (20220111)',
      'Council January 11, 2022',
      'Council Jan. 11th',
      'Council 11 Jan 2022',
      'Council 2022',
    ]) {
      expect(titleTokens(title), title).toEqual(['council']);
    }
  });

  it('keeps generic words when a title has nothing else', () => {
    expect(titleTokens('City Meeting')).toEqual(['city', 'meeting']);
  });
});

describe('similarity', () => {
  it('treats "City Council" and "Council Meeting" as the same body', () => {
    expect(titleSimilarity('Birchwood City Council', 'Birchwood Council Meeting 1/11/22')).toBe(1);
  });

  it('tolerates one typo in a long word, not in numbers or short words', () => {
    expect(titleSimilarity('Planning Comission', 'Planning Commission')).toBe(1);
    expect(titleSimilarity('Ward 2', 'Ward 3')).toBe(0.5);
    expect(editDistanceAtMost('council', 'councl', 1)).toBe(true);
    expect(editDistanceAtMost('council', 'cancel', 1)).toBe(false);
  });

  it('scores unrelated titles low', () => {
    expect(titleSimilarity('Birchwood City Council', 'Mahtomedi Parks Board')).toBe(0);
    expect(titleSimilarity('Birchwood City Council', 'Birchwood Parks Board')).toBeCloseTo(0.4, 5);
  });

  it('Dice is symmetric and within [0, 1]', () => {
    const words = fc.array(fc.constantFrom('council', 'parks', 'board', 'birchwood', 'planning', 'commission', '2'), { maxLength: 6 });
    fc.assert(
      fc.property(words, words, (a, b) => {
        const ab = tokenSetDice([...new Set(a)], [...new Set(b)]);
        expect(ab).toBe(tokenSetDice([...new Set(b)], [...new Set(a)]));
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('dates and running times', () => {
  it('reads the day of an ISO date without shifting it', () => {
    expect(isoDay('2022-01-11T23:30:00')).toBe('2022-01-11');
    expect(isoDay('2022-01-11T23:30:00-06:00')).toBe('2022-01-11');
    expect(isoDay('not a date')).toBeNull();
    expect(isoDay(null)).toBeNull();
  });

  it('falls off with distance and reaches 0 just beyond the window', () => {
    expect(dayDistance('2022-01-11', '2022-01-14')).toBe(3);
    expect(dayDistance('2022-03-14', '2022-03-12')).toBe(2);
    expect(dateScore(0, 3)).toBe(1);
    expect(dateScore(3, 3)).toBe(0.25);
    expect(dateScore(4, 3)).toBe(0);
  });

  it('compares running time with the recording length', () => {
    expect(runtimeScore(3600, 3500)).toBe(1);
    expect(runtimeScore(3600, 1800)).toBe(0);
    expect(runtimeScore(3600, 2700)).toBeCloseTo(0.556, 2);
  });
});

describe('candidates', () => {
  const recording = { title: 'Birchwood City Council', date: '2022-01-11', durationSec: 3600 };
  const show = (id: number, title: string, date: string | null, runningTimeSec: number | null = null): ShowFacts => ({
    id,
    title,
    cgTitle: null,
    date,
    runningTimeSec,
  });

  it('weights title, date and running time, leaving out what is unknown', () => {
    expect(scoreCandidate(recording, show(1, 'Birchwood Council Meeting', '2022-01-11', 3600), 3).score).toBe(1);
    expect(scoreCandidate(recording, show(1, 'Birchwood Council Meeting', '2022-01-11'), 3)).toMatchObject({ score: 1, runtime: null });
    expect(scoreCandidate(recording, show(1, 'Birchwood Council Meeting', '2022-01-12'), 3).score).toBeCloseTo(0.926, 3);
    expect(scoreCandidate(recording, show(1, 'Birchwood Parks Board', '2022-01-11'), 3).score).toBeLessThan(0.75);
  });

  it('considers cgTitle as well as title', () => {
    expect(scoreCandidate(recording, { ...show(1, 'Mtg 445', '2022-01-11'), cgTitle: 'Birchwood City Council' }, 3).title).toBe(1);
  });

  it('ranks only shows within the date window and picks a clear winner', () => {
    const ranked = rankCandidates(
      recording,
      [
        show(1, 'Birchwood City Council', '2022-01-18'),
        show(2, 'Birchwood City Council', '2022-01-11'),
        show(3, 'Birchwood Parks Board', '2022-01-11'),
        show(4, 'Birchwood City Council', null),
      ],
      3,
    );
    expect(ranked.map((c) => c.showId)).toEqual([2, 3]);
    expect(pickCandidate(ranked, 0.75)).toMatchObject({ kind: 'match', best: { showId: 2 } });
  });

  it('refuses to choose between two shows that fit equally well', () => {
    const ranked = rankCandidates(
      recording,
      [show(1, 'Birchwood City Council', '2022-01-11'), show(2, 'Birchwood City Council', '2022-01-11')],
      3,
    );
    expect(pickCandidate(ranked, 0.75).kind).toBe('ambiguous');
    expect(pickCandidate([], 0.75).kind).toBe('none');
    expect(pickCandidate(rankCandidates(recording, [show(3, 'Oakdale Parks', '2022-01-11')], 3), 0.75).kind).toBe('below-threshold');
  });

  it('links at exactly the threshold and treats a lead of exactly 0.05 the same at any score', () => {
    const candidate = (showId: number, score: number) => ({ showId, score, title: score, date: null, runtime: null });
    expect(pickCandidate([candidate(1, 0.75)], 0.75).kind).toBe('match');
    expect(pickCandidate([candidate(1, 0.749)], 0.75).kind).toBe('below-threshold');
    for (const [best, next] of [
      [0.85, 0.8],
      [0.8, 0.75],
      [0.95, 0.9],
      [1, 0.95],
    ] as const) {
      expect(pickCandidate([candidate(1, best), candidate(2, next)], 0.75).kind, `${best} vs ${next}`).toBe('match');
    }
    expect(pickCandidate([candidate(1, 0.85), candidate(2, 0.801)], 0.75).kind).toBe('ambiguous');
  });
});

describe('retry schedule and ids', () => {
  it('doubles the wait and hands over to a person after maxAttempts', () => {
    expect([1, 2, 3, 10].map((n) => retryDelayHours(n, 2))).toEqual([2, 4, 8, 168]);
    const now = new Date('2022-01-11T00:00:00Z');
    expect(afterUnmatched(1, { maxAttempts: 3, retryHours: 2 }, now)).toEqual({
      state: 'pending',
      nextAttemptAt: new Date('2022-01-11T02:00:00Z'),
    });
    expect(afterUnmatched(3, { maxAttempts: 3, retryHours: 2 }, now)).toEqual({ state: 'needs_review' });
  });

  it('parses media and transcript ids', () => {
    expect(parseLinkTarget('media:12')).toEqual({ kind: 'media', id: 12 });
    expect(parseLinkTarget('t7')).toEqual({ kind: 'transcript', id: 7 });
    expect(parseLinkTarget('42')).toEqual({ kind: 'either', id: 42 });
    expect(() => parseLinkTarget('show:1')).toThrow(/not a media or transcript id/);
  });

  it('fills the write-back template', () => {
    expect(renderWritebackValue('Captioned {date} ({file}), {date}', { date: '2022-01-12', file: 'a.scc' })).toBe(
      'Captioned 2022-01-12 (a.scc), 2022-01-12',
    );
  });
});
