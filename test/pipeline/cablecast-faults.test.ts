import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCablecastServer, type CablecastServer, type ShowRecord } from '../support/cablecast-server.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { speechVideo } from '../support/media.js';

const SPOKEN = 'Good evening and welcome to the Lake Elmo city council meeting.';
const RECORDING = 'Lake Elmo Planning Commission (20261124).mp4';

interface World {
  db: TestDatabase;
  server: CablecastServer;
  dir: string;
  share: string;
  config: string;
  env: Record<string, string>;
  shows: ShowRecord[];
  vodIds: number[];
}

interface RunSummary {
  vods: { site: string; found: number; skipped: { showId: number; kind: string; reason: string }[] }[];
  jobs: { deferred: { dependency: string | null; kinds: string[]; work: string[]; reason: string }[] };
}

/** A port nothing listens on: Cablecast not answering at all. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    probe.close(() => {
      resolve();
    });
  });
  return port;
}

/**
 * Issue 13's "Done when": one site with a recording on its share and two ready, uncaptioned
 * Cablecast VODs. Whatever goes wrong with Cablecast, the share's recording gets its sidecar in
 * the same run; a fault about one show costs that show only; the exit code is non-zero, and the
 * summary (stderr) and the run record name Cablecast's reason once.
 */
describe(`one Cablecast fault costs only what needs Cablecast (${TEST_DB_KIND})`, () => {
  let video: Buffer;
  let videoDir: string;
  const worlds: World[] = [];

  beforeAll(async () => {
    videoDir = await mkdtemp(join(tmpdir(), 'archivist-faults-video-'));
    video = await readFile(await speechVideo(videoDir, 'source.mp4', SPOKEN));
  });
  afterEach(async () => {
    for (const world of worlds.splice(0)) {
      await world.server.close();
      await world.db.drop();
      await rm(world.dir, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await rm(videoDir, { recursive: true, force: true });
  });

  async function makeWorld(cablecastUrl?: (server: CablecastServer) => Promise<string>): Promise<World> {
    const db = await createTestDatabase();
    const server = await startCablecastServer({ username: 'archivist', password: 's3cret', requireAuth: 'all' });
    const dir = await mkdtemp(join(tmpdir(), 'archivist-faults-'));
    const share = join(dir, 'flex-3');
    await mkdir(share);
    await writeFile(join(share, RECORDING), video);
    const shows = ['Lake Elmo City Council', 'Lake Elmo Park Board'].map((title) =>
      server.addShow({ title, location: 3, eventDate: '2026-11-24T19:00:00-06:00' }),
    );
    const vodIds = shows.map((show) => server.addVodFile(show.id, video).id);
    const model = join(dir, 'ggml-base.en.bin');
    await writeFile(model, 'stub model');
    const config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        sites: [{ key: 'flex3', name: 'Lake Elmo', share, patterns: ['lake elmo'], location: 3 }],
        engine: { kind: 'whisper-cpp', model },
        // No retries: each request that gets no answer fails at once, so the test stays short.
        cablecast: { url: cablecastUrl === undefined ? server.url : await cablecastUrl(server), username: 'archivist', retries: 0 },
        paths: { output: join(dir, 'out'), work: join(dir, 'work') },
        captions: { formats: ['scc'] },
        discovery: { settleSeconds: 0, recheckSeconds: 0 },
      }),
    );
    const env = { ...db.env, ...stubEnv({ STUB_WHISPER_TEXT: SPOKEN }), CABLECAST_PASSWORD: 's3cret' };
    const world = { db, server, dir, share, config, env, shows, vodIds };
    worlds.push(world);
    return world;
  }

  async function run(world: World, env: Record<string, string> = {}) {
    const result = await world.db.run(['--config', world.config, '--json', 'process-recent-vods'], { ...world.env, ...env });
    const summary = JSON.parse(result.stdout) as RunSummary;
    const recorded = await world.db.use((db) =>
      db.selectFrom('runs').select(['exit_code', 'summary']).where('command', '=', 'process-recent-vods').executeTakeFirstOrThrow(),
    );
    // Plain lines on stderr are the summary; the rest are JSON log lines.
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('archivist: '));
    return { ...result, summary, recorded, lines };
  }

  const sidecarOnShare = (world: World): Promise<string> => readFile(join(world.share, RECORDING.replace(/\.mp4$/, '.scc')), 'utf8');
  const fetched = async (world: World, index: number): Promise<boolean> => {
    const show = world.shows[index];
    const vodId = world.vodIds[index];
    if (show === undefined || vodId === undefined) throw new Error(`no show ${index}`);
    const stem = `${show.id}-${show.title.replace(/ /g, '-')}`;
    return stat(join(world.dir, 'out', 'flex3', `${stem}.scc`)).then(
      () => true,
      () => false,
    );
  };
  const occurrences = (text: string, part: string): number => text.split(part).length - 1;

  it('Cablecast refusing the password: the share recording is captioned, exit 2 naming the credentials', async () => {
    const world = await makeWorld();
    const result = await run(world, { CABLECAST_PASSWORD: 'wrong' });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(await sidecarOnShare(world)).toMatch(/^Scenarist_SCC V1\.0/);
    expect(result.lines[0]).toMatch(
      /^archivist: Cablecast VOD discovery, link, upload, fetch left for the next run: Cablecast refused POST .* \(HTTP 401\)$/,
    );
    expect(result.lines[1]).toBe('archivist:   check cablecast.username and cablecast.password');
    expect(result.lines).toHaveLength(2);
    expect(result.recorded.exit_code).toBe(2);
    const stored = JSON.stringify(result.recorded.summary);
    expect(occurrences(stored, 'Cablecast refused')).toBe(1);
    expect(result.summary.jobs.deferred).toEqual([
      expect.objectContaining({ dependency: 'cablecast', work: ['Cablecast VOD discovery'], kinds: ['link', 'upload', 'fetch'] }),
    ]);
    // Only the one search was sent: nothing asked again for the link step.
    expect(world.server.requests.filter((r) => r.path.toLowerCase().includes('/cablecastapi/'))).toHaveLength(1);
  });

  it('Cablecast not answering: the share recording is captioned, exit 3 naming Cablecast', async () => {
    const world = await makeWorld(async () => `http://127.0.0.1:${await closedPort()}/CablecastAPI/v1`);
    const result = await run(world);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(await sidecarOnShare(world)).toMatch(/^Scenarist_SCC V1\.0/);
    expect(result.lines).toEqual([
      expect.stringMatching(
        /^archivist: Cablecast VOD discovery, link, upload, fetch left for the next run: cannot reach Cablecast for POST .*ECONNREFUSED/,
      ),
    ]);
    expect(result.recorded.exit_code).toBe(3);
    expect(occurrences(JSON.stringify(result.recorded.summary), 'cannot reach Cablecast')).toBe(1);
  });

  it('one malformed show record: that show is skipped with its reason, the other is fetched, exit 1', async () => {
    const world = await makeWorld();
    const bad = world.shows[0]?.id ?? 0;
    world.server.garble('show', bad, { title: 42 });
    const result = await run(world);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(await sidecarOnShare(world)).toMatch(/^Scenarist_SCC V1\.0/);
    expect(await fetched(world, 1)).toBe(true);
    expect(result.lines).toEqual([
      `archivist: Cablecast show ${bad} of site flex3 skipped for now: Cablecast's record of show ${bad} cannot be read (title: Invalid input: expected string, received number)`,
    ]);
    expect(result.summary.vods[0]).toMatchObject({ found: 1, skipped: [{ showId: bad, kind: 'unknown' }] });
    expect(result.summary.jobs.deferred).toEqual([]);
    expect(occurrences(JSON.stringify(result.recorded.summary), `record of show ${bad} cannot be read`)).toBe(1);
  });

  it('one failing playlist check: that show is skipped with its reason, the other is fetched, exit 1', async () => {
    const world = await makeWorld();
    const [first] = world.shows;
    world.server.setPlaylist(world.vodIds[0] ?? 0, { status: 500 });
    const result = await run(world);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(await sidecarOnShare(world)).toMatch(/^Scenarist_SCC V1\.0/);
    expect(await fetched(world, 0)).toBe(false);
    expect(await fetched(world, 1)).toBe(true);
    expect(result.lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^archivist: Cablecast show ${first?.id ?? 0} \\(Lake Elmo City Council\\) of site flex3 skipped for now: GET .*/vod\\.m3u8 answered HTTP 500$`,
        ),
      ),
    ]);
    expect(result.summary.jobs.deferred).toEqual([]);
    expect(occurrences(JSON.stringify(result.recorded.summary), 'vod.m3u8 answered HTTP 500')).toBe(1);
  });
});
