import { copyFile, mkdir, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnArchivist } from '../support/cli.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv, stubStarts } from '../support/engines/stub-engines.js';
import { speechVideo } from '../support/media.js';
import { writeShareConfig } from '../support/share-config.js';

const SPOKEN = 'Order.';
const FILES = 40;
const RUNS = 4;

/**
 * Several hosts' nightly runs start at once on a new PostgreSQL database full of recordings
 * none of them has seen: every run must register what it finds without tripping over the
 * others (and over the others' migrations), and every file must be transcribed exactly once.
 */
describe.skipIf(TEST_DB_KIND !== 'postgres')(`${RUNS} first runs at once on a fresh database (postgres)`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let config: string;
  let engineLog: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-concurrent-'));
    const share = join(dir, 'flex-1');
    await mkdir(share);
    const source = await speechVideo(dir, 'source.mp4', SPOKEN);
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (let i = 0; i < FILES; i++) {
      const path = join(share, `Birchwood Council ${String(i + 1).padStart(2, '0')}.mp4`);
      await copyFile(source, path);
      await utimes(path, hourAgo, hourAgo);
    }
    config = await writeShareConfig(dir, share, { captions: { formats: [] } });
    engineLog = join(dir, 'engine.log');
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('all exit 0, and each file is registered once and transcribed once', async () => {
    const env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: SPOKEN, STUB_ENGINE_LOG: engineLog }) };
    const runs = await Promise.all(Array.from({ length: RUNS }, () => spawnArchivist(['--config', config, 'process-recent-vods'], env)));
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0);

    const inputs = (await stubStarts(engineLog)).flatMap((start) => start.argv.filter((_arg, i) => start.argv[i - 1] === '-f'));
    expect(inputs).toHaveLength(FILES);
    await testDb.use(async (db) => {
      expect(await db.selectFrom('media').select('id').execute()).toHaveLength(FILES);
      const transcribes = await db.selectFrom('jobs').select(['state', 'attempts']).where('kind', '=', 'transcribe').execute();
      expect(transcribes).toHaveLength(FILES);
      expect(transcribes.every((job) => job.state === 'succeeded' && job.attempts === 1)).toBe(true);
      expect(await db.selectFrom('transcripts').select('id').execute()).toHaveLength(FILES);
      const captions = await db.selectFrom('jobs').select('state').where('kind', '=', 'captions').execute();
      expect(captions.map((job) => job.state)).toEqual(Array.from({ length: FILES }, () => 'succeeded'));
    });
  });
});
