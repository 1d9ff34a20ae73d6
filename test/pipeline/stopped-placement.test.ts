import { mkdir, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnArchivist } from '../support/cli.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { speechVideo } from '../support/media.js';
import { writeShareConfig } from '../support/share-config.js';

const SPOKEN = 'The meeting is called to order. Roll call, please.';
const NAME = 'Birchwood City Council';
const KILL_HOOK = fileURLToPath(new URL('../support/kill-after-placing.ts', import.meta.url));

/**
 * A run SIGKILLed right after a caption file or rendition got its final name, before the
 * run recorded it: the next run must take that file as its own (recorded beforehand as
 * pending), not refuse it as a file someone else wrote.
 */
describe(`a run stopped between placing a file and recording it (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let config: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-stopped-'));
    const share = join(dir, 'flex-1');
    await mkdir(share);
    const video = await speechVideo(share, `${NAME}.mp4`, SPOKEN);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(video, hourAgo, hourAgo);
    config = await writeShareConfig(dir, share, {
      captions: { formats: ['vtt'] },
      pipeline: { retranscode: true },
      retranscode: { mode: 'mp4-text' },
    });
    env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: SPOKEN }) };
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A real process, SIGKILLed by the hook once a file ending in `killAfter` has its name. */
  const killedRun = async (killAfter: string) => {
    await testDb.release();
    return spawnArchivist(
      ['--config', config, '--json', 'process-recent-vods'],
      { ...env, ARCHIVIST_TEST_KILL_AFTER_PLACING: killAfter },
      {
        imports: [KILL_HOOK],
      },
    );
  };
  const artifact = (path: string) =>
    testDb.use((db) => db.selectFrom('artifacts').select(['state', 'kind']).where('path', '=', path).executeTakeFirst());
  const job = (kind: 'captions' | 'retranscode') =>
    testDb.use((db) => db.selectFrom('jobs').select(['state', 'output', 'last_error']).where('kind', '=', kind).executeTakeFirstOrThrow());
  /** The killed run's leases, run out. */
  const ageLeases = () =>
    testDb.use((db) =>
      db
        .updateTable('jobs')
        .set({ heartbeat_at: sql`now() - interval '1 hour'` })
        .where('state', '=', 'running')
        .execute(),
    );

  it('takes the caption file and the rendition as its own on the next run', async () => {
    const vtt = join(dir, 'out', 'flex1', `${NAME}.vtt`);
    const rendition = join(dir, 'out', 'flex1', `${NAME}.captioned.mp4`);

    const first = await killedRun('.vtt');
    expect(first.signal, first.stderr).toBe('SIGKILL');
    await stat(vtt);
    expect(await artifact(vtt)).toEqual({ state: 'pending', kind: 'caption' });
    expect(await job('captions')).toMatchObject({ state: 'running' });

    await ageLeases();
    const second = await killedRun('.captioned.mp4');
    expect(second.signal, second.stderr).toBe('SIGKILL');
    const captions = await job('captions');
    expect(captions.state).toBe('succeeded');
    expect(JSON.stringify(captions.output)).not.toContain('leftAlone');
    expect(await artifact(vtt)).toEqual({ state: 'complete', kind: 'caption' });
    await stat(rendition);
    expect(await artifact(rendition)).toEqual({ state: 'pending', kind: 'rendition' });

    await ageLeases();
    // Nothing kills this one: it runs in this process.
    const third = await testDb.run(['--config', config, '--json', 'process-recent-vods'], env);
    expect(third.exitCode, third.stderr).toBe(0);
    expect(await job('retranscode')).toMatchObject({ state: 'succeeded' });
    expect(await artifact(rendition)).toEqual({ state: 'complete', kind: 'rendition' });
  });
});
