import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { renderCleanup } from '../../src/lib/cleanup/render-cleanup.js';
import { renderLinkDetail, renderLinkTable } from '../../src/lib/linking/render-links.js';
import { createLogger } from '../../src/lib/log.js';
import type { StatusReport } from '../../src/lib/status/collect-status.js';
import { fitTable } from '../../src/lib/status/fit-table.js';
import { renderStatus } from '../../src/lib/status/render-status.js';
import { terminalTable } from '../../src/lib/status/table.js';
import { stringifyForTerminal, terminalSafe } from '../../src/lib/text/terminal-safe.js';

/** File names as the trial found them: colour changes, a window-title sequence, 8-bit CSI, a bidi override. */
const hostile = [
  'Council \u001b[31mRED\u001b[0m.mp4',
  'Council \u001b]0;owned\u0007 title.mp4',
  'Council \u009b2J cleared.mp4',
  'Council \u202egpj.exe.mp4',
  'Council \u0000\u007f\r\n\t end.mp4',
  'Council \ud800 lone.mp4',
];
const allHostile = hostile.join(' | ');
/** Where a cut could leave half a sequence behind. */
const TERMINAL = { columns: 100, hard: true };

/** Anything a terminal acts on rather than shows; `\n` is allowed only where the caller says. */
function actsOnTerminal(text: string, allowNewlines = false): string[] {
  return Array.from(text).filter((char) => {
    const code = char.codePointAt(0) ?? 0;
    if (allowNewlines && char === '\n') return false;
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0xd800 && code <= 0xdfff);
  });
}

function report(): StatusReport {
  const at = new Date('2026-01-02T03:04:05Z');
  return {
    database: { kind: 'embedded', location: '/var/lib/archivist/pglite' },
    jobs: { transcribe: { queued: 1, running: 1, succeeded: 0, dead: 1, cancelled: 0 } },
    running: hostile.map((path, i) => ({
      id: i,
      kind: 'transcribe',
      mediaId: i,
      path,
      worker: path,
      startedAt: at,
      heartbeatAt: at,
      attempts: 1,
    })),
    failures: hostile.map((path, i) => ({
      id: i,
      kind: 'transcribe',
      state: 'dead' as const,
      mediaId: i,
      path,
      attempts: 1,
      maxAttempts: 3,
      error: `cannot read ${path}`,
      at,
      retryAt: at,
    })),
    lastRuns: [{ command: 'status', startedAt: at, finishedAt: at, outcome: 'succeeded', exitCode: 0, host: hostile[1] ?? '' }],
    links: { pending: 0, linked: 0, needs_review: 0, orphaned: 0 },
    media: { total: 6, missing: 0 },
    captions: {
      noSpeech: { total: 1, recent: [{ mediaId: 1, path: hostile[0] ?? '', at }] },
      edited: { total: 1, recent: [{ mediaId: 1, path: hostile[0] ?? '', from: hostile[0] ?? '', at }] },
      recent: [],
      lastDay: [],
      lastDayLeftOut: 0,
    },
  };
}

describe('terminalSafe', () => {
  it('shows every control as a visible stand-in and leaves printable text alone', () => {
    expect(terminalSafe('a\u001b[31mb')).toBe('a␛[31mb');
    expect(terminalSafe('\u001b]0;t\u0007')).toBe('␛]0;t␇');
    expect(terminalSafe('\u0000\u007f\u009b\u202e\ud800')).toBe('␀␡<U+009B><U+202E>\ufffd');
    expect(terminalSafe('a\nb\tc')).toBe('a␊b␉c');
    expect(terminalSafe('a\nb\tc', { keepNewlines: true })).toBe('a\nb␉c');
    expect(terminalSafe('Lake Elmo — Café 😀 (2026).mp4')).toBe('Lake Elmo — Café 😀 (2026).mp4');
  });

  it('never lets anything through that a terminal acts on, and is stable when applied twice', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const safe = terminalSafe(text);
        expect(actsOnTerminal(safe)).toEqual([]);
        expect(terminalSafe(safe)).toBe(safe);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('tables and pretty logs from hostile names', () => {
  it('status prints no raw ESC, BEL or other control, and shows the names visibly', () => {
    const text = renderStatus(report(), [{ timer: hostile[0] ?? '', command: 'process-recent-vods', lastRun: null, nextElapse: null }], {
      width: TERMINAL,
    });
    expect(actsOnTerminal(text, true)).toEqual([]);
    expect(text).toContain('␛[31mRED');
  });

  it('a narrow, wrapping table never cuts a sequence in half', () => {
    for (let width = 5; width < 30; width += 3) {
      const table = fitTable([{ head: 'file' }], [...hostile.map((name) => [name])], { width: { columns: width, hard: true } });
      expect(actsOnTerminal(table, true)).toEqual([]);
      const cut = terminalTable(['file'], { colWidths: [width] });
      cut.push(...hostile.map((name) => [name]));
      expect(actsOnTerminal(cut.toString(), true)).toEqual([]);
    }
  });

  it('link and cleanup reports print no raw controls', () => {
    const links = hostile.map((path, i) => ({
      linkId: i,
      mediaId: i,
      transcriptId: i,
      path,
      state: 'needs_review' as const,
      showId: null,
      method: null,
      score: null,
      attempts: 1,
      nextAttemptAt: null,
      lastError: `no show matched ${path}`,
      suggestions: [{ showId: 7, title: path, eventDate: null, score: 0.5 }],
      writeback: null,
    }));
    const texts = [
      renderLinkTable(links, TERMINAL),
      ...links.map((link) => renderLinkDetail(link)),
      renderCleanup(
        {
          dryRun: true,
          changes: hostile.map((path) => ({ action: 'delete-scratch' as const, path, what: 'temp file' as const, modified: '2026-01-01' })),
          notes: [allHostile],
          linkCheckFailed: new Error(allHostile),
        },
        TERMINAL,
      ),
    ];
    for (const text of texts) expect(actsOnTerminal(text, true)).toEqual([]);
  });

  it('the pretty logger shows names with controls replaced, keeping its own layout', () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const log = createLogger({ destination: stream, pretty: true, level: 'debug' });
    log.info({ file: allHostile, [hostile[1] ?? '']: 1 }, `picked ${allHostile}`);
    log.warn({ err: new Error(`cannot read ${allHostile}`) }, 'failed');
    // pino-pretty's own colours are the only escape sequences allowed: SGR codes it writes.
    const text = chunks.join('').replace(new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g'), '');
    expect(actsOnTerminal(text, true)).toEqual([]);
    expect(text).toContain('picked Council ␛[31mRED␛[0m.mp4');
    expect(text).not.toContain('\u001b]0;');
    expect(text).not.toContain('\u0007');
  });
});

describe('JSON output', () => {
  it('escapes every control in names, and parses back to the same names', () => {
    const value = { names: hostile.filter((name) => !name.includes('\ud800')), report: report().failures.map((f) => f.path) };
    for (const text of [stringifyForTerminal(value, 2), stringifyForTerminal(value)]) {
      expect(actsOnTerminal(text, true)).toEqual([]);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    }
  });

  it('JSON.stringify alone escapes C0 controls but not DEL or the C1 controls, hence stringifyForTerminal', () => {
    expect(actsOnTerminal(JSON.stringify('\u001b]0;t\u0007'))).toEqual([]);
    expect(actsOnTerminal(JSON.stringify('\u009b2J\u007f'))).toEqual(['\u009b', '\u007f']);
  });

  it('JSON log lines escape them too', () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const log = createLogger({ destination: stream, pretty: false });
    log.info({ file: allHostile }, `picked ${allHostile}`);
    const line = chunks.join('');
    expect(actsOnTerminal(line, true)).toEqual([]);
    expect((JSON.parse(line) as { file: string }).file).toBe(allHostile);
  });
});
