import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../src/lib/log.js';
import { redactSecrets } from '../../src/lib/text/redact-secrets.js';

/** Each form a database URL takes in a config file or DATABASE_URL, with the password in it. */
const forms: { url: string; password: string }[] = [
  { url: 'postgres://archivist:s3cret-pw@db.example:5432/archivist', password: 's3cret-pw' },
  { url: 'postgresql://archivist:s3cret-pw@db.example/archivist?sslmode=require', password: 's3cret-pw' },
  { url: 'archivist:s3cret-pw@db.example/archivist', password: 's3cret-pw' },
  { url: 'postgres://archivist:s3cr@t-pw@db.example/archivist', password: 's3cr@t-pw' },
  { url: 'archivist:s3cr@t-pw@db.example/archivist', password: 's3cr@t-pw' },
  { url: 'postgres://archivist:s3/cr?et-pw@db.example/archivist', password: 's3/cr?et-pw' },
  { url: 'postgres://archivist:s3cr%40t-pw@db.example/archivist', password: 's3cr%40t-pw' },
  { url: 'postgres://:s3cret-pw@db.example/archivist', password: 's3cret-pw' },
  { url: 'postgres://db.example/archivist?user=archivist&password=s3cret-pw&sslmode=require', password: 's3cret-pw' },
  { url: 'host=db.example user=archivist password=s3cret-pw dbname=archivist', password: 's3cret-pw' },
];

/** No recognisable piece of the password: its halves either side of an `@`, `/` or `?` included. */
function expectHidden(text: string, password: string): void {
  for (const piece of [password, ...password.split(/[@/?%]/).filter((p) => p.length >= 3)]) expect(text).not.toContain(piece);
}

function capture(pretty: boolean, secrets?: string[]) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const log = createLogger({ destination: stream, pretty, level: 'debug', ...(secrets ? { secrets } : {}) });
  return { log, text: () => chunks.join('') };
}

describe('redactUrl', () => {
  it.each(forms)('hides the password of $url and keeps where it points', ({ url, password }) => {
    const shown = redactUrl(url);
    expectHidden(shown, password);
    expect(shown).toContain('db.example');
    expect(shown).toContain('redacted');
  });

  it('keeps the familiar form for an ordinary URL and leaves one without a password alone', () => {
    expect(redactUrl('postgres://archivist:s3cret@db.example/archivist')).toBe('postgres://archivist:redacted@db.example/archivist');
    expect(redactUrl('archivist:s3cret@db.example/archivist')).toBe('archivist:redacted@db.example/archivist');
    expect(redactUrl('postgres://db.example:5432/archivist')).toBe('postgres://db.example:5432/archivist');
    expect(redactUrl('postgres://db.example/archivist?password=x&sslmode=require')).toBe(
      'postgres://db.example/archivist?password=redacted&sslmode=require',
    );
  });
});

describe('redactSecrets in messages', () => {
  it.each(forms)('hides the password of $url inside a sentence', ({ url, password }) => {
    expectHidden(redactSecrets(`cannot connect to the database at ${url}: connection refused`), password);
    expectHidden(redactSecrets(`"${url}"`), password);
  });

  it('hides anything shaped like user:pass@ and basic credentials, and values it is told about', () => {
    expectHidden(redactSecrets('GET https://bob:hunter22@cdn.example/x.mp4 failed; also ftp://eve:pa55word@files'), 'hunter22');
    expect(redactSecrets('GET https://bob:hunter22@cdn.example/x.mp4')).toBe('GET https://bob:redacted@cdn.example/x.mp4');
    expect(redactSecrets('authorization: Basic YXJjaGl2aXN0Omh1bnRlcjI=')).toBe('authorization: Basic [redacted]');
    expect(redactSecrets('the password is correct-horse, really', ['correct-horse'])).toBe('the password is [redacted], really');
    expect(redactSecrets('at 10:30 the job ran')).toBe('at 10:30 the job ran');
  });
});

describe('log output', () => {
  it.each([false, true])('never shows a password in messages, fields or errors (pretty: %s)', (pretty) => {
    for (const { url, password } of forms) {
      const { log, text } = capture(pretty);
      log.info(`connecting to ${url}`);
      log.info('connecting to %s', url);
      log.warn({ target: url, nested: { deeper: [url] } }, 'retrying');
      log.error({ err: new Error(`cannot connect to ${url}`, { cause: new Error(`refused by ${url}`) }) }, 'database down');
      log.error(new TypeError(`Invalid URL: ${url}`));
      log.child({ database: url }).info('child logger');
      expectHidden(text(), password);
      expect(text()).toContain('db.example');
    }
  });

  it('hides configured secrets wherever they appear, also JSON-escaped', () => {
    const { log, text } = capture(false, ['pa"ss\\word-1']);
    log.info({ note: 'pa"ss\\word-1' }, 'said pa"ss\\word-1');
    expect(text()).not.toContain('ss\\\\word');
    expect(text()).toContain('[redacted]');
    expect(() => JSON.parse(text()) as unknown).not.toThrow();
  });
});
