import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config/load.js';
import type { Config } from '../../src/lib/config/schema.js';
import type { Db } from '../../src/lib/db/schema.js';
import { enqueueJob, requeueJob } from '../../src/lib/jobs/enqueue-job.js';
import { runPipeline } from '../../src/lib/pipeline/run-pipeline.js';
import { pipelineSteps } from '../../src/lib/pipeline/steps/index.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { silent, testPipeline } from '../support/pipeline.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const credentials = { username: 'archivist', password: 'hunter2' };

describe(`the fetch step (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let home: CablecastServer;
  let media: CablecastServer;
  let dir: string;
  let config: Config;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // Both check the same credentials, so each log shows whether they reached it; only the
    // configured origin asks for them on every request.
    home = await startCablecastServer({ ...credentials, requireAuth: 'all' });
    media = await startCablecastServer(credentials);
    dir = await mkdtemp(join(tmpdir(), 'archivist-fetch-step-'));
    const file = join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({ cablecast: { url: home.url, ...credentials }, paths: { work: join(dir, 'work'), output: join(dir, 'out') } }),
    );
    config = await loadConfig({ file, env: {}, cwd: dir });
  });
  afterAll(async () => {
    await home.close();
    await media.close();
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const vodPath = (vodId: number, name: string): string => join(dir, 'work', 'vods', String(vodId), name);

  async function addVod(db: Db, path: string, url: string): Promise<number> {
    const row = await db
      .insertInto('media')
      .values({ site: 'flex3', path, source: 'cablecast', vod_url: url })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueueJob(db, { mediaId: row.id, kind: 'fetch' }, { maxAttempts: 3 });
    return row.id;
  }

  async function fetchAll(db: Db) {
    const pipeline = testPipeline(config);
    try {
      const steps = await pipelineSteps(pipeline.deps, ['fetch']);
      return await runPipeline({ db, config, log: silent, signal: new AbortController().signal, steps });
    } finally {
      await pipeline.close();
    }
  }

  const fileRequests = (server: CablecastServer) => server.requests.filter((r) => r.path.endsWith('/vod.mp4'));

  it('sends the credentials to the configured origin only, and downloads media from another host without them', async () => {
    const homeContent = randomBytes(40_000);
    const otherContent = randomBytes(30_000);
    const homeVod = home.addVodFile(home.addShow({ title: 'Council' }).id, homeContent);
    const otherVod = media.addVodFile(media.addShow({ title: 'Parks' }).id, otherContent);
    await testDb.use(async (db) => {
      await addVod(db, vodPath(homeVod.id, 'Council.mp4'), homeVod.url);
      await addVod(db, vodPath(otherVod.id, 'Parks.mp4'), otherVod.url);
      expect(await fetchAll(db)).toMatchObject({ succeeded: 2, failed: 0, dead: 0 });
    });
    expect(sha256(await readFile(vodPath(homeVod.id, 'Council.mp4')))).toBe(sha256(homeContent));
    expect(sha256(await readFile(vodPath(otherVod.id, 'Parks.mp4')))).toBe(sha256(otherContent));
    expect(fileRequests(home).map((r) => r.authenticated)).toEqual([true]);
    expect(fileRequests(media).map((r) => r.authenticated)).toEqual([false]);
  });

  it('downloads again over a file an earlier fetch of the same media put there, and never over one it did not', async () => {
    const first = randomBytes(20_000);
    const vod = home.addVodFile(home.addShow({ title: 'Planning' }).id, first);
    const path = vodPath(vod.id, 'Planning.mp4');
    await testDb.use(async (db) => {
      const id = await addVod(db, path, vod.url);
      expect(await fetchAll(db)).toMatchObject({ succeeded: 1 });
      // Cablecast replaced the VOD; the fetch is asked for again (`jobs retry`).
      const second = randomBytes(25_000);
      const key = [...home.state.files.keys()].find((k) => vod.url.toLowerCase().endsWith(k));
      if (key === undefined) throw new Error('the test server has no file for this VOD');
      home.state.files.set(key, second);
      await requeueJob(db, { mediaId: id, kind: 'fetch' }, { maxAttempts: 3 });
      expect(await fetchAll(db)).toMatchObject({ succeeded: 1, failed: 0 });
      expect(sha256(await readFile(path))).toBe(sha256(second));

      // Someone put their own file there: the next download must not replace it.
      await writeFile(path, 'an operator copied this in');
      await requeueJob(db, { mediaId: id, kind: 'fetch' }, { maxAttempts: 3 });
      expect(await fetchAll(db)).toMatchObject({ succeeded: 0, failed: 1 });
      expect(await readFile(path, 'utf8')).toBe('an operator copied this in');
    });
  });

  it('refuses a recorded path outside paths.work/vods: the job is dead and nothing is written there', async () => {
    const outside = join(dir, 'srv');
    await mkdir(outside);
    await writeFile(join(outside, 'precious.txt'), 'the station keeps this');
    const vod = home.addVodFile(home.addShow({ title: 'Budget' }).id, randomBytes(10_000));
    await testDb.use(async (db) => {
      const id = await addVod(db, join(outside, 'precious.txt'), vod.url);
      expect(await fetchAll(db)).toMatchObject({ dead: 1 });
      const job = await db.selectFrom('jobs').select(['state', 'last_error']).where('media_id', '=', id).executeTakeFirstOrThrow();
      expect(job.state).toBe('dead');
      expect(job.last_error).toMatch(/refusing the path .* it leads outside that directory/);
    });
    expect(await readdir(outside)).toEqual(['precious.txt']);
    expect(await readFile(join(outside, 'precious.txt'), 'utf8')).toBe('the station keeps this');
  });
});
