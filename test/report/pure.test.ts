import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/lib/report/escape-html.js';
import { recordingOutcome, type OutcomeJob } from '../../src/lib/report/outcome.js';
import { renderNightsChart } from '../../src/lib/report/render-chart.js';
import { shortenWord, wrapWords } from '../../src/lib/text/wrap-words.js';

describe('escapeHtml', () => {
  it('makes markup, quotes and ampersands inert, as text and in attributes', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('shows controls and bidirectional overrides as visible stand-ins', () => {
    expect(escapeHtml('a\u001b[31mb\u202Ec')).toBe('a\u241b[31mb<U+202E>c'.replace('<', '&lt;').replace('>', '&gt;'));
  });

  it('leaves plain text, accents and emoji alone', () => {
    expect(escapeHtml('Café council 🎤 2026-11-24')).toBe('Café council 🎤 2026-11-24');
  });
});

describe('wrapWords', () => {
  const terminal = (columns: number) => ({ columns, hard: true });
  const offTerminal = (columns: number) => ({ columns, hard: false });

  it('breaks only between words', () => {
    expect(wrapWords('queue for captions now', terminal(10))).toEqual(['queue for', 'captions', 'now']);
  });

  it('shortens a word wider than the line instead of splitting it, a path keeping its end', () => {
    expect(wrapWords('see /mnt/flex-1/folder/meeting.mp4', terminal(12), { keep: 'end' })).toEqual(['see', '…meeting.mp4']);
    expect(shortenWord('abcdefgh', 5)).toBe('abcd…');
  });

  it('off a terminal keeps a word wider than the line whole, on a line of its own', () => {
    expect(wrapWords('see /mnt/flex-1/folder/meeting.mp4 now', offTerminal(12), { keep: 'end' })).toEqual([
      'see',
      '/mnt/flex-1/folder/meeting.mp4',
      'now',
    ]);
  });

  it('off a terminal cuts at maxLines only where it can say where to read the rest', () => {
    const text = 'one two three four five six seven eight nine ten';
    expect(wrapWords(text, terminal(18), { maxLines: 2 })).toEqual(['one two three four', 'five six seven …']);
    expect(wrapWords(text, offTerminal(18), { maxLines: 2 })).toEqual(['one two three four', 'five six seven', 'eight nine ten']);
    expect(wrapWords(text, offTerminal(18), { maxLines: 2, more: 'jobs show 7' })).toEqual(['one two three four', 'five … jobs show 7']);
  });

  it('ends a cut text with an ellipsis and where to read it whole', () => {
    const lines = wrapWords('one two three four five six seven eight nine ten', terminal(18), { maxLines: 2, more: 'jobs show 7' });
    expect(lines).toEqual(['one two three four', 'five … jobs show 7']);
  });
});

describe('recordingOutcome', () => {
  const now = new Date('2026-12-02T03:00:00Z');
  const job = (id: number, kind: OutcomeJob['kind'], state: OutcomeJob['state'], lastError: string | null = null): OutcomeJob => ({
    id,
    kind,
    state,
    lastError,
    runAfter: now,
  });

  it('puts a dead step first, with its whole reason and job', () => {
    const result = recordingOutcome({
      mediaId: 1,
      jobs: [job(1, 'probe', 'succeeded'), job(2, 'transcribe', 'dead', 'engine exited 1: out of memory')],
      noSpeech: null,
      link: null,
      now,
    });
    expect(result).toMatchObject({ outcome: 'failed', step: 'transcribe', jobId: 2, reason: 'engine exited 1: out of memory' });
  });

  it('tells captioned from no speech, and lists the steps still to do', () => {
    const jobs = [job(1, 'captions', 'succeeded'), job(2, 'link', 'queued')];
    expect(recordingOutcome({ mediaId: 1, jobs, noSpeech: false, link: null, now })).toMatchObject({
      outcome: 'captioned',
      pending: ['link'],
    });
    expect(recordingOutcome({ mediaId: 1, jobs, noSpeech: true, link: null, now }).outcome).toBe('no-speech');
  });

  it('says how to link a recording that needs review', () => {
    const result = recordingOutcome({
      mediaId: 9,
      jobs: [job(1, 'captions', 'succeeded'), job(2, 'link', 'succeeded')],
      noSpeech: false,
      link: { state: 'needs_review', lastError: null },
      now,
    });
    expect(result.outcome).toBe('needs-review');
    expect(result.reason).toContain('archivist link-queue --link media:9 --show <show id>');
  });
});

describe('renderNightsChart', () => {
  it('draws one group per night with its figures as a title, escaped', () => {
    const svg = renderNightsChart([
      { date: '2026-12-01', captionedHours: 2.5, captioned: 3, failed: 1, runs: 1 },
      { date: '2026-12-02', captionedHours: 0, captioned: 0, failed: 0, runs: 0 },
    ]);
    expect(svg.match(/<g>/g)).toHaveLength(2);
    expect(svg).toContain('<title>2026-12-01: 2.5 h captioned (3 recordings), 1 failed, 1 runs</title>');
    expect(svg.match(/class="failed" x=/g)).toHaveLength(1);
  });
});
