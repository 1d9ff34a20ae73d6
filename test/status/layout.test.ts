import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/lib/status/render-status.js';
import type { StatusReport } from '../../src/lib/status/status-model.js';
import { paintState, wantsColour } from '../../src/lib/text/colour.js';

const at = new Date('2026-12-02T01:00:00Z');
const LONG_REASON =
  'cannot download http://cablecast.example.org/CablecastAPI/v1/vod/17052/vod.mp4: HTTP 404 Not Found after 5 attempts; ' +
  'the show may have been deleted or its VOD not published yet, so queue for captions again once it is there ' +
  'and check the file store, the location and the show record in Cablecast before retrying this job by hand';

function report(): StatusReport {
  return {
    database: { kind: 'postgres', location: 'postgres://archivist@db.example.org/archivist' },
    jobs: {
      fetch: { queued: 1, running: 0, succeeded: 3, dead: 1, cancelled: 0 },
      captions: { queued: 0, running: 1, succeeded: 3, dead: 0, cancelled: 0 },
    },
    running: [
      {
        id: 7,
        kind: 'captions',
        mediaId: 2,
        path: '/mnt/flex-1/2026/11/Birchwood City Council Regular Meeting 2026-11-24.mp4',
        worker: 'archivist-host-1:4242',
        startedAt: at,
        heartbeatAt: at,
        attempts: 1,
      },
    ],
    failures: [
      {
        id: 12,
        kind: 'fetch',
        state: 'dead',
        mediaId: 3,
        path: '/var/lib/archivist/work/vods/17052/17052-Lake-Elmo-City-Council-Workshop-on-the-Budget.mp4',
        attempts: 5,
        maxAttempts: 5,
        error: LONG_REASON,
        at,
        retryAt: null,
      },
      {
        id: 13,
        kind: 'transcribe',
        state: 'queued',
        mediaId: 4,
        path: '/mnt/flex-8/wbl.mp4',
        attempts: 1,
        maxAttempts: 5,
        error: 'engine exited 1: out of memory',
        at,
        retryAt: at,
      },
    ],
    lastRuns: [{ command: 'process-recent-vods', startedAt: at, finishedAt: at, outcome: 'failed', exitCode: 1, host: 'archivist-host-1' }],
    links: { pending: 1, linked: 2, needs_review: 0, orphaned: 0 },
    media: { total: 4, missing: 0 },
    captions: {
      noSpeech: { total: 0, recent: [] },
      edited: {
        total: 1,
        recent: [
          {
            mediaId: 3,
            path: '/mnt/flex-2/Birchwood/Planning Commission Special Session 2026-11-30.mp4',
            from: 'planning-commission-clerk-edit.srt',
            at,
          },
        ],
      },
      recent: [],
      lastDay: [
        {
          mediaId: 1,
          title: 'Birchwood City Council',
          at,
          files: ['/mnt/flex-1/Birchwood City Council.scc', '/var/lib/archivist/output/flex1/Birchwood City Council.vtt'],
        },
      ],
      lastDayLeftOut: 0,
    },
  };
}

/** Every word the status could show: a token of the output must be one of them, or a marked shortening. */
function wordsIn(value: unknown): Set<string> {
  return new Set(
    JSON.stringify(value)
      .replace(/\\"/g, ' ')
      .split(/[\s",:{}[\]]+|\\n/)
      .filter(Boolean),
  );
}

describe('status fits the terminal', () => {
  for (const width of [80, 120]) {
    it(`at ${width} columns never splits a word and never hides a reason without its job id`, () => {
      const r = report();
      const text = renderStatus(r, [], { now: at, width: { columns: width, hard: true } });
      const lines = text.split('\n');
      expect(lines.filter((line) => Array.from(line).length > width)).toEqual([]);
      // The words of the same status with room for everything: each token at this width must be one of them, or shortened with "…".
      const known = new Set([...wordsIn(r), ...tokensOf(renderStatus(r, [], { now: at, width: { columns: 1000, hard: true } }))]);
      const tokens = tokensOf(text);
      expect(tokens.filter((t) => !known.has(t) && !t.includes('…'))).toEqual([]);
      // The example: "queue for captio / ns".
      expect(tokens).not.toContain('captio');
      const flat = text.replace(/[│\s]+/g, ' ');
      expect(flat.includes(LONG_REASON) || flat.includes('… jobs show 12')).toBe(true);
      expect(tokens).toEqual(expect.arrayContaining(['engine', 'exited', 'memory', 'transcribe', 'queued']));
      expect(flat).toContain('Captioned in the last 24 h');
      expect(flat).toContain('Birchwood City Council.vtt');
    });
  }

  it('fits the whole reason in when there is room', () => {
    const flat = renderStatus(report(), [], { now: at, width: { columns: 1000, hard: true } }).replace(/[│\s]+/g, ' ');
    expect(flat).toContain(LONG_REASON);
  });
});

function tokensOf(text: string): string[] {
  return text.split(/[\s│┌┐└┘├┤┬┴┼─]+/).filter(Boolean);
}

describe('colour', () => {
  it('only on a terminal, off with NO_COLOR, on with FORCE_COLOR', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('colours states, and nothing when colour is off', () => {
    expect(paintState('dead', 'dead', true)).toBe('\u001b[31mdead\u001b[0m');
    expect(paintState('dead', 'dead', false)).toBe('dead');
    const coloured = renderStatus(report(), [], { now: at, width: { columns: 100, hard: true }, colour: true });
    expect(coloured).toContain('\u001b[31mdead\u001b[0m');
    expect(renderStatus(report(), [], { now: at, width: { columns: 100, hard: true } })).not.toContain('\u001b');
  });
});
