import { describe, expect, it } from 'vitest';
import type { CaptionCheck, CaptionCheckOptions } from '../../src/lib/cablecast/index.js';
import { subtitlesUri } from '../../src/lib/cablecast/vod-captions.js';
import type { AddShowInput, PlaylistMode } from '../support/cablecast-server.js';
import { useCablecast } from './helpers.js';

const world = useCablecast();

async function check(playlist: PlaylistMode, show: Partial<AddShowInput> = {}, options?: CaptionCheckOptions): Promise<CaptionCheck> {
  const record = world.server.addShow({ title: 'Maple Grove Report 3-4-25', ...show });
  world.server.addVodFile(record.id, Buffer.from('video'), { playlist });
  const client = world.client({ retries: 2 });
  const detail = await client.getShow(record.id);
  const vod = detail?.vods[0];
  if (detail === null || vod === undefined) throw new Error('no VOD read');
  return client.checkCaptions(detail.show, vod, options);
}

function playlistRequests(): string[] {
  return world.server.requests.filter((r) => !r.path.toLowerCase().startsWith('/cablecastapi')).map((r) => `${r.method} ${r.path}`);
}

describe('captions check', () => {
  it('asks a file server that let a playlist time out no more in this run: its other shows are unknown at once', async () => {
    const shows = ['Council', 'Planning'].map((title) => world.server.addShow({ title }));
    for (const show of shows) world.server.addVodFile(show.id, Buffer.from('video'));
    // Far past the client's 200 ms, which undici's coarse timers fire about a second late (the
    // test takes ~1 s): a 1 s delay raced that timeout and the playlist was sometimes read.
    world.server.inject({ kind: 'slow', delayMs: 10_000, times: 10, match: 'vod.m3u8' });
    const client = world.client({ retries: 0, timeoutMs: 200 });
    const checks: CaptionCheck[] = [];
    for (const detail of await client.getShows(shows.map((s) => s.id))) {
      const vod = detail.vods[0];
      if (vod === undefined) throw new Error('no VOD read');
      checks.push(await client.checkCaptions(detail.show, vod));
    }
    expect(checks).toEqual([
      { state: 'unknown', reason: expect.stringMatching(/cannot read the playlist of VOD \d+: .*timeout/i) as unknown },
      {
        state: 'unknown',
        reason: expect.stringMatching(
          /cannot read the playlist of VOD \d+: 127\.0\.0\.1:\d+ did not answer earlier in this run/,
        ) as unknown,
      },
    ]);
    expect(playlistRequests()).toHaveLength(1);
  });

  it('finds a SUBTITLES entry (captions.en.m3u8) in vod.m3u8 beside vod.mp4, read with GET', async () => {
    const result = await check('subtitles');
    expect(result).toEqual({ state: 'captioned', by: 'playlist', reason: expect.stringContaining('captions.en.m3u8') as unknown });
    expect(playlistRequests()).toEqual([expect.stringMatching(/^GET \/store-1\/\d+-Maple-Grove-Report-3-4-25-v1\/vod\.m3u8$/)]);
  });

  it("finds an older server's captions.m3u8", async () => {
    expect(await check('subtitles-legacy')).toMatchObject({
      state: 'captioned',
      by: 'playlist',
      reason: expect.stringContaining('captions.m3u8') as unknown,
    });
  });

  it('says uncaptioned only for a playlist that lists no subtitles', async () => {
    expect(await check('none')).toMatchObject({ state: 'uncaptioned' });
  });

  it.each([
    [{ status: 403 } as const, /HTTP 403/],
    [{ status: 404 } as const, /HTTP 404/],
    [{ status: 500 } as const, /HTTP 500/],
    ['reset' as const, /cannot read the playlist/],
  ])('reports %j as unknown with the reason, without throwing', async (mode, reason) => {
    const result = await check(mode);
    expect(result.state).toBe('unknown');
    expect(result.reason).toMatch(reason);
  });

  it('retries a 5xx once and no more', async () => {
    await check({ status: 503 });
    expect(playlistRequests()).toHaveLength(2);
  });

  it('trusts show.hasCaptions without reading the playlist', async () => {
    expect(await check('none', { hasCaptions: true })).toMatchObject({ state: 'captioned', by: 'hasCaptions' });
    expect(playlistRequests()).toEqual([]);
  });

  it('reports shows that Cablecast or a provider captions as captioned elsewhere, with the reason', async () => {
    expect(await check('none', { generateCaptions: true })).toMatchObject({
      state: 'captioned-elsewhere',
      service: { by: 'generateCaptions' },
    });
    expect(await check('none', { captionProvider: ' VITAC ' })).toMatchObject({
      state: 'captioned-elsewhere',
      service: { by: 'captionProvider', provider: 'VITAC' },
    });
    expect(playlistRequests()).toEqual([]);
  });

  it('checks the playlist of such a show when told to', async () => {
    expect(await check('none', { generateCaptions: true }, { ignoreCaptionService: true })).toMatchObject({ state: 'uncaptioned' });
  });

  it('never sends HEAD: the file server answers it 405', async () => {
    await check('subtitles');
    const { status } = await fetch(`${world.server.origin}${playlistRequests()[0]?.slice(4) ?? ''}`, { method: 'HEAD' });
    expect(status).toBe(405);
    expect(world.server.requests.filter((r) => r.method === 'HEAD')).toHaveLength(1);
  });
});

describe('subtitlesUri', () => {
  it('reads the URI of a SUBTITLES media entry and nothing else', () => {
    const audio = '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",URI="audio.m3u8"\n';
    expect(subtitlesUri(audio)).toBeNull();
    expect(subtitlesUri(`${audio}#EXT-X-MEDIA:GROUP-ID="s",NAME="English, CC",TYPE=SUBTITLES,URI="captions.en.m3u8"\r\n`)).toBe(
      'captions.en.m3u8',
    );
  });
});
