import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../src/lib/log.js';
import { defined } from '../support/defined.js';

function capture(pretty: boolean, journald = false) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { log: createLogger({ destination: stream, pretty, level: 'trace', journald }), text: () => chunks.join('') };
}

describe('logging', () => {
  it('writes one JSON object per line when not on a terminal, with secrets redacted', () => {
    const { log, text } = capture(false);
    log.info(
      {
        password: 'hunter2',
        headers: { authorization: 'Basic YXJjaGl2aXN0Omh1bnRlcjI=' },
        cablecast: { url: 'https://c', password: 'hunter2' },
      },
      'request',
    );
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(defined(lines[0], 'a log line')) as Record<string, unknown>;
    expect(entry).toMatchObject({
      msg: 'request',
      password: '[redacted]',
      headers: { authorization: '[redacted]' },
      cablecast: { password: '[redacted]' },
    });
    expect(text()).not.toContain('hunter2');
    expect(text()).not.toContain('YXJjaGl2aXN0');
  });

  it('writes readable lines for a person, also redacted', () => {
    const { log, text } = capture(true);
    log.warn({ password: 'hunter2' }, 'TLS verification is off');
    expect(text()).toContain('TLS verification is off');
    expect(text()).not.toContain('{"level"');
    expect(text()).not.toContain('hunter2');
  });

  it("under journald, starts every line with the level's syslog priority, <3> for an error", () => {
    const { log, text } = capture(false, true);
    log.fatal('f');
    log.error({ err: new Error('refused') }, 'e');
    log.warn('w');
    log.info('i');
    log.debug('d');
    log.trace('t');
    const lines = text().trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['<2>', '<3>', '<4>', '<6>', '<7>', '<7>']);
    expect(lines.map((l) => (JSON.parse(l.slice(3)) as { msg: string }).msg)).toEqual(['f', 'e', 'w', 'i', 'd', 't']);
    const plain = capture(false);
    plain.log.error('e');
    expect(plain.text()).toMatch(/^\{"level":50/);
  });

  it('on a terminal, an error is one line with its message, not a stack', () => {
    const { log, text } = capture(true);
    const child = log.child({ command: 'process-recent-vods' });
    child.error({ kinds: ['fetch'], err: new Error('Cablecast refused the credentials') }, 'fetch waits for the next run');
    const lines = text().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ERROR: fetch waits for the next run \{"kinds":\["fetch"\],"err":"Cablecast refused the credentials"\}$/);
  });

  it('hides the password in a database URL', () => {
    expect(redactUrl('postgres://archivist:s3cret@db.example/archivist')).toBe('postgres://archivist:redacted@db.example/archivist');
  });
});
