import { describe, expect, it } from 'vitest';
import {
  CablecastAuthError,
  CablecastFieldTypeError,
  CablecastHttpError,
  CablecastNetworkError,
  CablecastRecordError,
  CablecastResponseError,
  customFieldText,
  isUnreadableShow,
  runningTimeSeconds,
} from '../../src/lib/cablecast/index.js';
import { ExitCode, UsageError } from '../../src/lib/errors.js';
import { startCablecastServer } from '../support/cablecast-server.js';
import { collect, password, useCablecast, username } from './helpers.js';
import { stringContaining } from '../support/matchers.js';

const world = useCablecast();

function requestLines(fragment: string): string[] {
  return world.server.requests
    .filter((r) => r.path.toLowerCase().includes(fragment))
    .map((r) => `${r.method} ${r.path}${decodeURIComponent(r.query)}`);
}

describe('shows by id', () => {
  it('reads one show through the ids[] query with reels and VODs sideloaded, never include on /shows/{id}', async () => {
    const show = world.server.addShow({ title: 'Birchwood City Council', reels: [{ length: 1800 }, { length: 645 }] });
    const vod = world.server.addVodFile(show.id, Buffer.from('video'));
    const detail = await world.client().getShow(show.id);
    expect(detail?.show.title).toBe('Birchwood City Council');
    expect(detail?.reels.map((r) => r.length)).toEqual([1800, 645]);
    expect(detail?.vods.map((v) => v.url)).toEqual([vod.url]);
    expect(detail?.unknown).toEqual({ reels: [], vods: [] });
    expect(requestLines('/shows')).toEqual([`GET /CablecastAPI/v1/shows?ids[]=${show.id}&page_size=2&include=reel,vod`]);
  });

  it('answers null for a show Cablecast does not have, after asking for it on its own', async () => {
    expect(await world.client().getShow(424242)).toBeNull();
    expect(requestLines('/shows')).toEqual([
      'GET /CablecastAPI/v1/shows?ids[]=424242&page_size=2&include=reel,vod',
      'GET /CablecastAPI/v1/shows/424242',
    ]);
  });

  it('fetches many shows in chunks, in the order asked, omitting ones that are gone', async () => {
    const a = world.server.addShow({ title: 'A', reels: [{ length: 60 }] });
    const b = world.server.addShow({ title: 'B', reels: [{ length: 30 }] });
    const c = world.server.addShow({ title: 'C' });
    const details = await world.client().getShows([c.id, 999_999, a.id, b.id, a.id]);
    expect(details.map((d) => d.show.title)).toEqual(['C', 'A', 'B']);
    const listings = world.server.requests.filter((r) => r.path.toLowerCase().endsWith('/shows'));
    // pageSize 2: two ids a request, so no request's answer is ever cut short by paging.
    expect(listings.map((r) => new URLSearchParams(r.query).getAll('ids[]'))).toEqual([
      [String(c.id), '999999'],
      [String(a.id), String(b.id)],
    ]);
  });

  it('reports a VOD the answer did not sideload as unknown for that show only', async () => {
    const hidden = world.server.addShow({ title: 'Hidden VOD' });
    const hiddenVod = world.server.addVodFile(hidden.id, Buffer.from('a'));
    const fine = world.server.addShow({ title: 'Fine' });
    const fineVod = world.server.addVodFile(fine.id, Buffer.from('b'));
    world.server.hideFromSideloads('vod', hiddenVod.id);
    const [first, second] = await world.client().getShows([hidden.id, fine.id]);
    expect(first).toMatchObject({ vods: [], unknown: { reels: [], vods: [hiddenVod.id] } });
    expect(second).toMatchObject({ vods: [{ id: fineVod.id }], unknown: { reels: [], vods: [] } });
  });

  it('reads a show the ids[] answer left out on its own, with its reels and VODs unknown', async () => {
    const show = world.server.addShow({ title: 'Left out', reels: [{ length: 60 }] });
    const vod = world.server.addVodFile(show.id, Buffer.from('a'));
    world.server.hideFromLists(show.id);
    const detail = await world.client().getShow(show.id);
    expect(detail).toMatchObject({ show: { id: show.id }, reels: [], vods: [], unknown: { reels: show.reels, vods: [vod.id] } });
    expect(detail === null ? 'none' : runningTimeSeconds(detail)).toBe(60);
    expect(world.log.entries().some((e) => e.msg.includes('did not return this show'))).toBe(true);
  });

  it('takes the running time from totalRunTime, else from the reels, and says when neither is known', async () => {
    const timed = world.server.addShow({ title: 'Timed', totalRunTime: 5400, reels: [{ length: 60 }] });
    const reelsOnly = world.server.addShow({ title: 'Reels', totalRunTime: 0, reels: [{ length: 60 }, { length: 30 }] });
    const hiddenReel = world.server.addShow({ title: 'Hidden reel', totalRunTime: 0, reels: [{ length: 60 }] });
    const none = world.server.addShow({ title: 'None' });
    world.server.hideFromSideloads('reel', hiddenReel.reels[0] ?? 0);
    const details = await world.client({ pageSize: 100 }).getShows([timed.id, reelsOnly.id, hiddenReel.id, none.id]);
    expect(details.map((d) => runningTimeSeconds(d))).toEqual([5400, 90, null, null]);
  });

  it('ignores the fields it does not use, and exposes the location and caption fields', async () => {
    const show = world.server.addShow({ title: 'Full record', location: 2, hasCaptions: true, captionProvider: 'VITAC' });
    const detail = await world.client().getShow(show.id);
    expect(detail?.show).toMatchObject({ location: 2, hasCaptions: true, captionProvider: 'VITAC', generateCaptions: false });
    // Unused fields pass through untouched, so a record written back keeps them.
    expect(detail?.show).toMatchObject({ captionVocabulary: '', custom1: '', showFiles: [], localId: '' });
  });
});

describe('shows changed since', () => {
  it('asks the advanced search with the lastModified filter only; every location comes back', async () => {
    world.server.addShow({ title: 'Old', lastModified: '2024-01-01T00:00:00Z' });
    world.server.addShow({ title: 'Newer', lastModified: '2024-03-02T00:00:00-06:00' });
    world.server.addShow({ title: 'New', lastModified: '2024-03-01T00:00:00Z' });
    world.server.addShow({ title: 'Elsewhere', lastModified: '2024-03-05T00:00:00Z', location: 2 });
    const changed = await collect(world.client().showsChangedSince('2024-02-01T00:00:00Z'));
    expect(changed.map((d) => (isUnreadableShow(d) ? d.problem : [d.show.title, d.show.location]))).toEqual([
      ['New', 1],
      ['Newer', 1],
      ['Elsewhere', 2],
    ]);
    expect(world.server.requests[0]).toMatchObject({ method: 'POST', path: '/CablecastAPI/v1/shows/search/advanced' });
  });

  it('refuses a date that is not ISO 8601 before asking anything', async () => {
    await expect(collect(world.client().showsChangedSince('last week'))).rejects.toBeInstanceOf(UsageError);
    expect(world.server.requests).toHaveLength(0);
  });
});

describe('records of a shape we cannot read', () => {
  it('costs only that show: changed-since names it, the others come as usual', async () => {
    const bad = world.server.addShow({ title: 'Bad', lastModified: '2024-03-01T00:00:00Z' });
    world.server.addShow({ title: 'Good', lastModified: '2024-03-02T00:00:00Z' });
    world.server.garble('show', bad.id, { title: null });
    const changed = await collect(world.client().showsChangedSince('2024-02-01T00:00:00Z'));
    expect(changed).toEqual([
      { id: bad.id, location: 1, problem: stringContaining('title') },
      expect.objectContaining({ show: expect.objectContaining({ title: 'Good' }) as unknown }),
    ]);
  });

  it('makes a VOD that cannot be read unknown for its show, saying why', async () => {
    const show = world.server.addShow({ title: 'Council' });
    const vod = world.server.addVodFile(show.id, Buffer.from('a'));
    world.server.garble('vod', vod.id, { url: 17 });
    const detail = await world.client().getShow(show.id);
    expect(detail).toMatchObject({ vods: [], unknown: { vods: [vod.id] }, problems: [expect.stringContaining(`VOD ${vod.id}`)] });
    expect(detail?.problems[0]).toContain('url');
  });

  it('never takes a show it cannot read for one that is gone', async () => {
    const show = world.server.addShow({ title: 'Council' });
    world.server.garble('show', show.id, { location: 'north' });
    // An error for that show's item only: not Cablecast unavailable for every step.
    const error = await world
      .client()
      .getShow(show.id)
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(CablecastRecordError);
    expect(error).toMatchObject({ kind: 'transient', dependency: undefined, showId: show.id });
  });

  it('lists every readable show across pages, leaving the unreadable one out with a warning', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => world.server.addShow({ title: `Council ${i}` }).id);
    world.server.garble('show', ids[1] ?? 0, { title: 5 });
    const listed = await collect(world.client({ pageSize: 2 }).listShows());
    expect(listed.map((d) => d.show.id)).toEqual(ids.filter((_, i) => i !== 1));
    expect(world.log.entries().some((e) => e.msg.includes('cannot be read'))).toBe(true);
  });
});

describe('listing', () => {
  it('filters by location and search text, and checks the location on each record too', async () => {
    world.server.addShow({ title: 'Lake Elmo Planning', location: 2 });
    world.server.addShow({ title: 'Lake Elmo Council', location: 1 });
    world.server.addShow({ title: 'Oakdale Council', location: 2 });
    const found = await collect(world.client().listShows({ location: 2, search: 'elmo' }));
    expect(found.map((d) => d.show.title)).toEqual(['Lake Elmo Planning']);
  });

  it('accepts a base URL without the API path and paths in any case', async () => {
    world.server.addShow({ title: 'Any case' });
    expect(await collect(world.client({ url: world.server.origin }).listShows())).toHaveLength(1);
    expect(await collect(world.client({ url: `${world.server.origin}/cablecastapi/v1/` }).listShows())).toHaveLength(1);
  });

  it('lists locations and file stores', async () => {
    const c = world.client();
    expect((await c.listLocations()).map((l) => l.name)).toEqual(['Birchwood', 'Lake Elmo']);
    expect((await c.listFileStores()).map((s) => s.id)).toEqual([1, 2]);
  });
});

describe('show custom fields', () => {
  it('writes a string field by name, PUTting the whole record as read with that one entry changed', async () => {
    const notes = world.server.addShowField('Producer Notes');
    world.server.addShowField('Transcript URL');
    const show = world.server.addShow({ title: 'Oakdale Council', customFields: [{ showField: notes.id, value: 'keep me' }] });
    const c = world.client();

    const first = await c.writeShowTextField(show.id, '  transcript url ', 'https://example.org/t/1');
    const second = await c.writeShowTextField(show.id, 'Transcript URL', 'https://example.org/t/2');
    const again = await c.writeShowTextField(show.id, 'Transcript URL', 'https://example.org/t/2');
    expect([first.changed, second.changed, again.changed]).toEqual([true, true, false]);
    expect(customFieldText(second.show, 'Transcript URL')).toBe('https://example.org/t/2');

    const stored = world.server.state.shows.get(show.id);
    expect(stored?.customFields.map((f) => [f.fieldName, f.type, f.value, f.fieldValueString])).toEqual([
      ['Producer Notes', 'string', 'keep me', 'keep me'],
      ['Transcript URL', 'string', 'https://example.org/t/2', 'https://example.org/t/2'],
    ]);
    expect(stored).toMatchObject({ title: 'Oakdale Council', captionVocabulary: '', custom1: '', totalRunTime: 0 });
    const puts = world.server.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts.every((r) => r.authenticated)).toBe(true);
    // The first write found no entry on the record and asked the field list once; the second read it from the record.
    expect(requestLines('/showfields')).toHaveLength(1);
  });

  it('refuses a select field, naming it and its type, before sending anything', async () => {
    const done = world.server.addShowField('Captioned', 'select', ['Yes', 'No']);
    const show = world.server.addShow({ title: 'Select', customFields: [{ showField: done.id, value: done.options[0]?.id ?? 0 }] });
    const error = await world
      .client()
      .writeShowTextField(show.id, 'Captioned', 'Captioned by Archivist 2026-12-01')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastFieldTypeError);
    expect((error as Error).message).toContain('"Captioned" is a select field');
    expect((error as CablecastFieldTypeError).exitCode).toBe(ExitCode.usage);
    expect(world.server.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('refuses a tag field the show has no entry for, from the field list', async () => {
    world.server.addShowField('Topics', 'tag', ['Budget']);
    const show = world.server.addShow({ title: 'No entry' });
    const error = await world
      .client()
      .writeShowTextField(show.id, 'topics', 'x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastFieldTypeError);
    expect((error as Error).message).toContain('"Topics" is a tag field');
  });

  it('is refused by the server too when text goes into a select field', async () => {
    // The stand-in for the reference's typed fields: a client that skipped the check would get a 400.
    const done = world.server.addShowField('Captioned', 'select', ['Yes']);
    const show = world.server.addShow({ title: 'Typed' });
    const { status } = await fetch(`${world.server.url}/shows/${show.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
      body: JSON.stringify({ show: { ...show, customFields: [{ showField: done.id, value: 'Captioned 2026-12-01' }] } }),
    });
    expect(status).toBe(400);
  });

  it('names the fields that exist when the configured one does not', async () => {
    world.server.addShowField('Transcript URL');
    const show = world.server.addShow({ title: 'Missing field' });
    for (const attempt of [world.client().showFieldIdByName('Captions'), world.client().writeShowTextField(show.id, 'Captions', 'x')]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).problems.join(' ')).toContain('Transcript URL');
    }
  });

  it('reports a deleted show as a 404 when writing to it', async () => {
    const error = await world
      .client()
      .writeShowTextField(777, 'Captions', 'x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastHttpError);
    expect((error as CablecastHttpError).status).toBe(404);
  });
});

describe('authentication', () => {
  it('reports wrong credentials as an auth problem, not as an empty listing', async () => {
    world.server.addShow({ title: 'Exists' });
    const error = await collect(world.client({ password: 'wrong' }).listShows()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastAuthError);
    expect((error as CablecastAuthError).exitCode).toBe(ExitCode.usage);
    expect((error as CablecastAuthError).problems.join(' ')).toContain('cablecast.username and cablecast.password');
    expect(world.server.requests).toHaveLength(1);
  });

  it('reads anonymously but fails writes without credentials with the auth error', async () => {
    world.server.addShowField('Transcript URL');
    const show = world.server.addShow({ title: 'Needs auth' });
    const anonymous = world.client({ username: undefined, password: undefined });
    expect((await anonymous.getShow(show.id))?.show.title).toBe('Needs auth');
    await expect(anonymous.writeShowTextField(show.id, 'Transcript URL', 'x')).rejects.toBeInstanceOf(CablecastAuthError);
  });

  it('never logs the password or the Authorization header', async () => {
    world.server.addShow({ title: 'Logged' });
    world.server.inject({ kind: 'status', status: 500, times: 1 });
    await collect(world.client().listShows());
    await collect(world.client({ password: 'wrong-pass' }).listShows()).catch(() => undefined);
    const text = world.log.text();
    expect(text).toContain('cablecast request');
    expect(text).not.toContain(password);
    expect(text).not.toContain('wrong-pass');
    expect(text.toLowerCase()).not.toContain('authorization');
    expect(text).not.toContain(Buffer.from(`${username}:${password}`).toString('base64'));
  });
});

describe('faults', () => {
  it('retries 500s with backoff and succeeds', async () => {
    world.server.addShow({ title: 'Resilient' });
    world.server.inject({ kind: 'status', status: 500, times: 2 });
    expect(await collect(world.client().listShows())).toHaveLength(1);
    expect(world.server.requests).toHaveLength(3);
    expect(world.log.entries().filter((e) => e.msg.includes('retrying'))).toHaveLength(2);
  });

  it('gives up after the configured retries with an "unavailable" error', async () => {
    world.server.inject({ kind: 'status', status: 503, times: 10 });
    const error = await collect(world.client({ retries: 2 }).listShows()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastHttpError);
    expect((error as CablecastHttpError).status).toBe(503);
    expect((error as CablecastHttpError).exitCode).toBe(ExitCode.unavailable);
    expect(world.server.requests).toHaveLength(3);
  });

  it('waits as long as Retry-After says on a 429', async () => {
    world.server.inject({ kind: '429', retryAfterSeconds: 1, times: 1 });
    await collect(world.client().listShows());
    expect(world.log.entries().find((e) => e.msg.includes('retrying'))?.waitMs).toBe(1000);
    expect(world.server.requests).toHaveLength(2);
  });

  it('does not sit out a Retry-After of an hour: it reports Cablecast unavailable', async () => {
    world.server.inject({ kind: '429', retryAfterSeconds: 3600, times: 1 });
    const error = await collect(world.client().listShows()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastHttpError);
    expect((error as CablecastHttpError).status).toBe(429);
    expect((error as CablecastHttpError).exitCode).toBe(ExitCode.unavailable);
    expect(world.server.requests).toHaveLength(1);
  });

  it('times out a slow response and retries it', async () => {
    world.server.addShow({ title: 'Slow' });
    world.server.inject({ kind: 'slow', delayMs: 2000, times: 1 });
    expect(await collect(world.client({ timeoutMs: 150 }).listShows())).toHaveLength(1);
    expect(world.server.requests).toHaveLength(2);
  });

  it('retries a response whose connection is cut mid-body', async () => {
    world.server.addShow({ title: 'Cut' });
    world.server.inject({ kind: 'cut', afterBytes: 20, times: 1 });
    expect(await collect(world.client().listShows())).toHaveLength(1);
    expect(world.server.requests).toHaveLength(2);
  });

  it('reports malformed JSON as an unexpected response, with an excerpt', async () => {
    world.server.inject({ kind: 'malformed-json', times: 1 });
    const error = await collect(world.client().listShows()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastResponseError);
    expect((error as Error).message).toContain('not JSON');
    expect((error as Error).message).toContain('<html>');
  });

  it('does not retry other 4xx answers', async () => {
    const error = await world
      .client()
      .createFileUpload({ fileName: 'x.scc', destinationStore: 99, totalSegments: 1, size: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastHttpError);
    expect((error as CablecastHttpError).status).toBe(400);
    expect((error as CablecastHttpError).bodyExcerpt).toContain('destinationStore');
    expect(world.server.requests).toHaveLength(1);
  });

  it('wraps a refused connection with the URL', async () => {
    const url = world.server.url;
    await world.server.close();
    world.server = await startCablecastServer();
    const error = await collect(world.client({ url, retries: 1 }).listShows()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastNetworkError);
    expect((error as Error).message).toContain(url.toLowerCase().replace('/cablecastapi/v1', ''));
    expect((error as CablecastNetworkError).exitCode).toBe(ExitCode.unavailable);
  });
});
