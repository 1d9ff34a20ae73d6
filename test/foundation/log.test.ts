import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../src/lib/log.js';
import { defined } from '../support/defined.js';

function capture(pretty: boolean) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { log: createLogger({ destination: stream, pretty, level: 'debug' }), text: () => chunks.join('') };
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

  it('hides the password in a database URL', () => {
    expect(redactUrl('postgres://archivist:s3cret@db.example/archivist')).toBe('postgres://archivist:redacted@db.example/archivist');
  });
});
