import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCablecastClient, type CablecastClient, type CablecastClientOptions } from '../../src/lib/cablecast/index.js';
import type { Site } from '../../src/lib/config/schema.js';
import { scanCablecast, titleSlug, vodFileName, type CablecastScanOptions } from '../../src/lib/sources/cablecast-source.js';
import { captureLog } from '../support/cablecast-log.js';
import { startCablecastServer, type AddShowInput, type CablecastServer } from '../support/cablecast-server.js';

let server: CablecastServer;
const clients: CablecastClient[] = [];
const workDir = '/var/lib/archivist/work';
const site: Site & { location: number } = {
  key: 'flex3',
  name: 'Lake Elmo',
  share: '/mnt/flex3',
  patterns: ['lake elmo'],
  depth: 2,
  location: 3,
};

function client(overrides: Partial<CablecastClientOptions> = {}): CablecastClient {
  const made = createCablecastClient({ url: server.url, verifyTls: true, retries: 0, retryBaseDelayMs: 5, ...overrides }, captureLog().log);
  clients.push(made);
  return made;
}

function scan(options: Partial<CablecastScanOptions> = {}, using = client(), where = site) {
  return scanCablecast(using, where, {
    since: new Date('2026-11-01T00:00:00Z'),
    workDir,
    known: () => false,
    captionServiceShows: 'skip',
    log: captureLog().log,
    ...options,
  });
}

const recent = '2026-11-25T10:00:00Z';
const video = Buffer.from('mp4');

beforeEach(async () => {
  server = await startCablecastServer();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server.close();
});

describe('Cablecast discovery', () => {
  it('takes only the ready, uncaptioned show of the site; every other one is skipped with its reason', async () => {
    const add = (title: string, extra: Omit<AddShowInput, 'title'> = {}) =>
      server.addShow({ location: 3, lastModified: recent, eventDate: '2026-11-24T19:00:00-06:00', ...extra, title });
    const wanted = add('Lake Elmo City Council');
    const wantedVod = server.addVodFile(wanted.id, video);
    server.addVodFile(add('Lake Elmo Planning', { hasCaptions: true }).id, video);
    server.addVodFile(add('Lake Elmo Parks').id, video, { playlist: 'subtitles' });
    server.addVodFile(add('Oakdale Council').id, video);
    server.addVodFile(add('Lake Elmo Budget').id, video, { lifecycle: 'processing' });
    server.addVodFile(add('Lake Elmo Council', { location: 7 }).id, video);
    server.addVodFile(add('Lake Elmo Workshop', { generateCaptions: true }).id, video);
    server.addVodFile(add('Lake Elmo Old', { lastModified: '2026-10-01T00:00:00Z' }).id, video);

    const result = await scan();
    expect(result.error).toBeUndefined();
    expect(result.recordings).toEqual([
      {
        site: 'flex3',
        showId: wanted.id,
        vodId: wantedVod.id,
        title: 'Lake Elmo City Council',
        date: '2026-11-24',
        url: wantedVod.url,
        path: join(workDir, 'vods', String(wantedVod.id), `${wanted.id}-Lake-Elmo-City-Council.mp4`),
      },
    ]);
    expect(result.skipped.map((s) => [s.title, s.kind])).toEqual([
      ['Lake Elmo Planning', 'captioned'],
      ['Lake Elmo Parks', 'captioned'],
      ['Oakdale Council', 'outside-patterns'],
      ['Lake Elmo Budget', 'not-ready'],
      ['Lake Elmo Workshop', 'captioned-elsewhere'],
    ]);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      expect.stringContaining('hasCaptions'),
      expect.stringContaining('lists subtitles (captions.en.m3u8)'),
      "the title matches none of site flex3's patterns",
      expect.stringContaining('is not published yet (vodState "processing"'),
      expect.stringMatching(/generateCaptions.*cablecast\.captionServiceShows "caption"/),
    ]);
    // The search asked for lastModified only; the location and patterns were checked here.
    const search = server.requests.filter((r) => r.path.endsWith('/search/advanced'));
    expect(search).toHaveLength(1);

    const anyway = await scan({ captionServiceShows: 'caption' });
    expect(anyway.recordings.map((r) => r.title)).toEqual(['Lake Elmo City Council', 'Lake Elmo Workshop']);
  });

  it('matches the patterns on cgTitle too, and leaves known shows to their items', async () => {
    const byCg = server.addShow({ title: 'Council 11/24', cgTitle: 'Lake Elmo Council', location: 3, lastModified: recent });
    server.addVodFile(byCg.id, video);
    const known = server.addShow({ title: 'Lake Elmo Known', location: 3, lastModified: recent });
    server.addVodFile(known.id, video);
    const result = await scan({ known: (id) => id === known.id });
    expect(result.recordings.map((r) => r.showId)).toEqual([byCg.id]);
    expect(result.skipped).toEqual([expect.objectContaining({ showId: known.id, kind: 'known' })]);
  });

  it('costs one show only for an unreadable record, an unknown VOD or a playlist that cannot be read', async () => {
    const add = (title: string) => server.addShow({ title, location: 3, lastModified: recent });
    const garbledShow = add('Lake Elmo Garbled Show');
    server.garble('show', garbledShow.id, { title: 42 });
    const garbledVodShow = add('Lake Elmo Garbled VOD');
    server.garble('vod', server.addVodFile(garbledVodShow.id, video).id, { show: 'x' });
    const hiddenShow = add('Lake Elmo Hidden VOD');
    server.hideFromSideloads('vod', server.addVodFile(hiddenShow.id, video).id);
    const failing = add('Lake Elmo Playlist 500');
    server.addVodFile(failing.id, video, { playlist: { status: 500 } });
    const forbidden = add('Lake Elmo Playlist 403');
    server.addVodFile(forbidden.id, video, { playlist: { status: 403 } });
    const reset = add('Lake Elmo Playlist Reset');
    server.addVodFile(reset.id, video, { playlist: 'reset' });
    const legacy = add('Lake Elmo Legacy');
    server.addVodFile(legacy.id, video, { lifecycle: 'legacy-transaction-id' });
    const fine = add('Lake Elmo Fine');
    server.addVodFile(fine.id, video, { fileName: 'Lake Elmo Fine 11-24-26.mov' });

    const result = await scan();
    expect(result.error).toBeUndefined();
    expect(result.recordings.map((r) => [r.showId, r.path])).toEqual([
      [fine.id, join(workDir, 'vods', String(fine.vods[0]), 'Lake Elmo Fine 11-24-26.mp4')],
    ]);
    const why = new Map(result.skipped.map((s) => [s.showId, s]));
    expect(result.skipped.every((s) => s.kind === 'unknown')).toBe(true);
    expect(why.get(garbledShow.id)?.reason).toMatch(/record of show \d+ cannot be read \(title: /);
    expect(why.get(garbledVodShow.id)?.reason).toMatch(/VOD records .* are unknown: the record of VOD \d+ cannot be read \(show: /);
    expect(why.get(hiddenShow.id)?.reason).toContain("are unknown: Cablecast's answer did not carry them");
    expect(why.get(failing.id)?.reason).toContain('answered HTTP 500');
    expect(why.get(forbidden.id)?.reason).toContain('answered HTTP 403');
    expect(why.get(reset.id)?.reason).toMatch(/cannot read the playlist of VOD/);
    expect(why.get(legacy.id)?.reason).toMatch(/names its last transaction only by id/);
    expect(result.skipped).toHaveLength(7);
  });

  it('neither loops nor drops a show on a server that counts offset in pages', async () => {
    server.setOffsetCounts('pages');
    const ids = Array.from({ length: 7 }, (_, i) => {
      const show = server.addShow({ title: `Lake Elmo Council ${i + 1}`, location: 3, lastModified: `2026-11-2${i}T10:00:00Z` });
      server.addVodFile(show.id, video);
      return show.id;
    });
    const result = await scan({}, client({ pageSize: 2 }));
    expect(result.recordings.map((r) => r.showId)).toEqual(ids);
    expect(result.skipped).toEqual([]);
  });

  it('keeps the download path of a VOD with a hostile file name inside its folder', async () => {
    const show = server.addShow({ title: 'Lake Elmo Council', location: 3, lastModified: recent });
    const vod = server.addVodFile(show.id, video, { fileName: '../../../../srv/precious\u001b[31m.mp4' });
    const result = await scan();
    expect(result.recordings.map((r) => r.path)).toEqual([join(workDir, 'vods', String(vod.id), '___.._.._.._srv_precious_[31m.mp4')]);
  });

  it('stops for what affects every show alike: credentials refused', async () => {
    await server.close();
    server = await startCablecastServer({ username: 'archivist', password: 'right', requireAuth: 'all' });
    server.addVodFile(server.addShow({ title: 'Lake Elmo Council', location: 3, lastModified: recent }).id, video);
    await expect(scan({}, client({ username: 'archivist', password: 'wrong' }))).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('names of fetched VODs', () => {
  it('names the file after the show, or after the source file when the VOD names one', () => {
    expect(vodFileName({ id: 17052, title: 'Lake Elmo City Council 11/24/26' }, { fileName: null })).toBe(
      '17052-Lake-Elmo-City-Council-11-24-26.mp4',
    );
    expect(vodFileName({ id: 1, title: 'x' }, { fileName: '17601-1-Birchwood City Council (20220111).mxf' })).toBe(
      '17601-1-Birchwood City Council (20220111).mp4',
    );
    expect(vodFileName({ id: 9, title: '' }, { fileName: '  ' })).toBe('9-show.mp4');
  });

  it('keeps letters of any script and never cuts a character in half', () => {
    expect(titleSlug('Réunion du conseil — Québec')).toBe('Réunion-du-conseil-Québec');
    expect(titleSlug('🎥'.repeat(100))).toBe('show');
    const long = titleSlug(`${'é'.repeat(79)}👍x`);
    expect(Array.from(long)).toHaveLength(79);
  });
});
