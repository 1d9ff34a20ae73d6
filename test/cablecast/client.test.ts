import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CablecastAuthError,
  CablecastHttpError,
  CablecastNetworkError,
  CablecastResponseError,
  createCablecastClient,
  runningTimeSeconds,
  type CablecastClient,
  type CablecastClientOptions,
} from '../../src/lib/cablecast/index.js';
import { ExitCode, UsageError } from '../../src/lib/errors.js';
import { captureLog, type CapturedLog } from '../support/cablecast-log.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { defined } from '../support/defined.js';

const username = 'archivist';
const password = 's3cret-Pa55';

let server: CablecastServer;
let captured: CapturedLog;
const clients: CablecastClient[] = [];

function client(overrides: Partial<CablecastClientOptions> = {}): CablecastClient {
  const created = createCablecastClient(
    { url: server.url, username, password, verifyTls: true, retries: 3, retryBaseDelayMs: 5, pageSize: 2, ...overrides },
    captured.log,
  );
  clients.push(created);
  return created;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function apiRequests(path: string): string[] {
  return server.requests.filter((r) => r.path.toLowerCase().includes(path)).map((r) => `${r.method} ${r.path}${r.query}`);
}

beforeEach(async () => {
  server = await startCablecastServer({ username, password });
  captured = captureLog();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server.close();
});

describe('paging', () => {
  it('follows offset/page_size until a short page and ignores meta.count', async () => {
    for (let i = 1; i <= 5; i += 1) server.addShow({ title: `Council ${i}`, location: i <= 3 ? 1 : 2 });
    const all = await collect(client().listShows());
    expect(all.map((d) => d.show.title)).toEqual(['Council 1', 'Council 2', 'Council 3', 'Council 4', 'Council 5']);
    expect(server.requests.map((r) => new URLSearchParams(r.query).get('offset'))).toEqual(['0', '2', '4']);

    // meta.count says 5 (unfiltered) here; only the short second page ends the listing.
    const inLocation = await collect(client().listShows({ location: 1 }));
    expect(inLocation).toHaveLength(3);
  });

  it('asks once more after a full last page and stops on the empty page', async () => {
    for (let i = 1; i <= 4; i += 1) server.addShow({ title: `Show ${i}` });
    expect(await collect(client().listShows())).toHaveLength(4);
    expect(server.requests.map((r) => new URLSearchParams(r.query).get('offset'))).toEqual(['0', '2', '4']);
  });

  it('filters by search text', async () => {
    server.addShow({ title: 'Lake Elmo Planning' });
    server.addShow({ title: 'Oakdale Council' });
    const found = await collect(client().listShows({ search: 'elmo' }));
    expect(found.map((d) => d.show.title)).toEqual(['Lake Elmo Planning']);
  });
});

describe('envelopes and sideloads', () => {
  it('unwraps a single show and resolves its reels and VODs', async () => {
    const show = server.addShow({ title: 'Birchwood City Council', reels: [{ length: 1800 }, { length: 645 }] });
    const vod = server.addVodFile(show.id, Buffer.from('video'));
    const detail = defined(await client().getShow(show.id), 'the show');
    expect(detail.show.title).toBe('Birchwood City Council');
    expect(detail.reels.map((r) => r.length)).toEqual([1800, 645]);
    expect(runningTimeSeconds(detail)).toBe(2445);
    expect(detail.vods.map((v) => v.url)).toEqual([vod.url]);
    expect(apiRequests('/shows/')[0]).toContain('include=reel%2Cvod');
  });

  it('answers null for a deleted show instead of failing or inventing one', async () => {
    expect(await client().getShow(424242)).toBeNull();
  });

  it('fetches many shows by ids[] in the order asked, omitting ones that are gone', async () => {
    const a = server.addShow({ title: 'A', reels: [{ length: 60 }] });
    const b = server.addShow({ title: 'B', reels: [{ length: 30 }] });
    const c = server.addShow({ title: 'C' });
    const details = await client({ pageSize: 100 }).getShows([c.id, 999_999, a.id, b.id]);
    expect(details.map((d) => d.show.title)).toEqual(['C', 'A', 'B']);
    expect(details.map((d) => runningTimeSeconds(d))).toEqual([0, 60, 30]);
    const query = new URLSearchParams(server.requests[0]?.query);
    expect(query.getAll('ids[]')).toEqual([String(c.id), '999999', String(a.id), String(b.id)]);
  });

  it('discovers shows changed since a date through the advanced search', async () => {
    server.addShow({ title: 'Old', lastModified: '2024-01-01T00:00:00Z' });
    server.addShow({ title: 'Newer', lastModified: '2024-03-02T00:00:00Z' });
    server.addShow({ title: 'New', lastModified: '2024-03-01T00:00:00Z' });
    server.addShow({ title: 'Elsewhere', lastModified: '2024-03-05T00:00:00Z', location: 2 });
    const changed = await collect(client().showsChangedSince('2024-02-01T00:00:00Z', { location: 1 }));
    expect(changed.map((d) => d.show.title)).toEqual(['New', 'Newer']);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/CablecastAPI/v1/shows/search/advanced' });
  });

  it('accepts a base URL without the API path and paths in any case', async () => {
    server.addShow({ title: 'Any case' });
    const shows = await collect(client({ url: server.origin }).listShows());
    expect(shows).toHaveLength(1);
    const lower = await collect(client({ url: `${server.origin}/cablecastapi/v1/` }).listShows());
    expect(lower).toHaveLength(1);
  });

  it('reads VODs and tells a ready one from one still processing', async () => {
    const show = server.addShow({ title: 'Meeting' });
    const ready = server.addVodFile(show.id, Buffer.from('a'));
    const pending = server.addVodFile(show.id, Buffer.from('b'), { ready: false });
    const c = client();
    const readyVod = defined(await c.getVod(ready.id), 'the ready VOD');
    const pendingVod = defined(await c.getVod(pending.id), 'the pending VOD');
    expect(readyVod.url).toBe(ready.url);
    expect(c.isVodReady(readyVod)).toBe(true);
    expect(c.isVodReady(pendingVod)).toBe(false);
    expect(await c.getVod(5_555_555)).toBeNull();
  });

  it('lists locations and file stores', async () => {
    const c = client();
    expect((await c.listLocations()).map((l) => l.name)).toEqual(['Birchwood', 'Lake Elmo']);
    expect((await c.listFileStores()).map((s) => s.id)).toEqual([1, 2]);
  });
});

describe('show custom fields', () => {
  it('maps a field name to its showField id and writes it back with the whole show', async () => {
    const other = server.addShowField('Producer Notes');
    const transcript = server.addShowField('Transcript URL');
    const show = server.addShow({ title: 'Oakdale Council', customFields: [{ showField: other.id, value: 'keep me' }] });
    (server.state.shows.get(show.id) as unknown as Record<string, unknown>).someFutureField = 'survives';
    const c = client();
    const fieldId = await c.showFieldIdByName('  transcript url ');
    expect(fieldId).toBe(transcript.id);

    await c.updateShowCustomField(show.id, fieldId, 'https://example.org/t/1');
    await c.updateShowCustomField(show.id, fieldId, 'https://example.org/t/2');
    const stored = server.state.shows.get(show.id) as unknown as Record<string, unknown>;
    expect(stored.customFields).toEqual([
      { showField: other.id, value: 'keep me' },
      { showField: transcript.id, value: 'https://example.org/t/2' },
    ]);
    expect(stored.title).toBe('Oakdale Council');
    expect(stored.someFutureField).toBe('survives');
    expect(server.requests.filter((r) => r.method === 'PUT').every((r) => r.authenticated)).toBe(true);
  });

  it('names the fields that exist when the configured one does not', async () => {
    server.addShowField('Transcript URL');
    const error = await client()
      .showFieldIdByName('Captions')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).problems.join(' ')).toContain('Transcript URL');
  });

  it('reports a deleted show as a 404 when writing to it', async () => {
    const error = await client()
      .updateShowCustomField(777, 1, 'x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastHttpError);
    expect((error as CablecastHttpError).status).toBe(404);
  });
});

describe('authentication', () => {
  it('reports wrong credentials as an auth problem, not as an empty listing', async () => {
    server.addShow({ title: 'Exists' });
    const error = await collect(client({ password: 'wrong' }).listShows()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastAuthError);
    expect((error as CablecastAuthError).exitCode).toBe(ExitCode.usage);
    expect((error as CablecastAuthError).problems.join(' ')).toContain('cablecast.username and cablecast.password');
    expect(server.requests).toHaveLength(1);
  });

  it('fails writes without credentials with the auth error', async () => {
    const show = server.addShow({ title: 'Needs auth' });
    const field = server.addShowField('Transcript URL');
    const anonymous = client({ username: undefined, password: undefined });
    expect((await anonymous.getShow(show.id))?.show.title).toBe('Needs auth');
    await expect(anonymous.updateShowCustomField(show.id, field.id, 'x')).rejects.toBeInstanceOf(CablecastAuthError);
  });

  it('never logs the password or the Authorization header', async () => {
    server.addShow({ title: 'Logged' });
    server.inject({ kind: 'status', status: 500, times: 1 });
    await collect(client().listShows());
    await collect(client({ password: 'wrong-pass' }).listShows()).catch(() => undefined);
    const text = captured.text();
    expect(text).toContain('cablecast request');
    expect(text).not.toContain(password);
    expect(text).not.toContain('wrong-pass');
    expect(text.toLowerCase()).not.toContain('authorization');
    expect(text).not.toContain(Buffer.from(`${username}:${password}`).toString('base64'));
  });
});

describe('faults', () => {
  beforeEach(() => {
    server.addShow({ title: 'Resilient' });
  });

  it('retries 500s with backoff and succeeds', async () => {
    server.inject({ kind: 'status', status: 500, times: 2 });
    expect(await collect(client().listShows())).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
    expect(captured.entries().filter((e) => e.msg.includes('retrying'))).toHaveLength(2);
  });

  it('gives up after the configured retries with an "unavailable" error', async () => {
    server.inject({ kind: 'status', status: 503, times: 10 });
    const error = await collect(client({ retries: 2 }).listShows()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastHttpError);
    expect((error as CablecastHttpError).status).toBe(503);
    expect((error as CablecastHttpError).exitCode).toBe(ExitCode.unavailable);
    expect(server.requests).toHaveLength(3);
  });

  it('waits as long as Retry-After says on a 429', async () => {
    server.inject({ kind: '429', retryAfterSeconds: 1, times: 1 });
    expect(await collect(client().listShows())).toHaveLength(1);
    const retry = captured.entries().find((e) => e.msg.includes('retrying'));
    expect(retry?.waitMs).toBe(1000);
    expect(server.requests).toHaveLength(2);
  });

  it('does not sit out a Retry-After of an hour: it reports Cablecast unavailable', async () => {
    server.inject({ kind: '429', retryAfterSeconds: 3600, times: 1 });
    const error = await collect(client().listShows()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastHttpError);
    expect((error as CablecastHttpError).status).toBe(429);
    expect((error as CablecastHttpError).exitCode).toBe(ExitCode.unavailable);
    expect(server.requests).toHaveLength(1);
  });

  it('times out a slow response and retries it', async () => {
    server.inject({ kind: 'slow', delayMs: 2000, times: 1 });
    expect(await collect(client({ timeoutMs: 150 }).listShows())).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a response whose connection is cut mid-body', async () => {
    server.inject({ kind: 'cut', afterBytes: 20, times: 1 });
    expect(await collect(client().listShows())).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('reports malformed JSON as an unexpected response, with an excerpt', async () => {
    server.inject({ kind: 'malformed-json', times: 1 });
    const error = await collect(client().listShows()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastResponseError);
    expect((error as Error).message).toContain('not JSON');
    expect((error as Error).message).toContain('<html>');
  });

  it('does not retry other 4xx answers', async () => {
    const error = await client()
      .createFileUpload({ fileName: 'x.scc', destinationStore: 99, totalSegments: 1, size: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastHttpError);
    expect((error as CablecastHttpError).status).toBe(400);
    expect((error as CablecastHttpError).bodyExcerpt).toContain('destinationStore');
    expect(server.requests).toHaveLength(1);
  });

  it('wraps a refused connection with the URL', async () => {
    const url = server.url;
    await server.close();
    server = await startCablecastServer();
    const error = await collect(client({ url, retries: 1 }).listShows()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastNetworkError);
    expect((error as Error).message).toContain(url.toLowerCase().replace('/cablecastapi/v1', ''));
    expect((error as CablecastNetworkError).exitCode).toBe(ExitCode.unavailable);
  });
});
