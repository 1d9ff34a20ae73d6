import { hostname } from 'node:os';
import { mkdir, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnArchivist } from '../support/cli.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { processAlive, stubEnv } from '../support/engines/stub-engines.js';
import { speechVideo } from '../support/media.js';
import { until } from '../support/until.js';
import { writeShareConfig } from '../support/share-config.js';

const SPOKEN = 'The meeting is called to order.';

/**
 * Outside systemd nothing ends the detached engine of an archivist that was SIGKILLed: the
 * job records the engine's process group, and the run that recovers the job's lease ends it.
 */
describe(`an engine left behind by a killed archivist (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let config: string;
  let pids: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-leftover-'));
    const share = join(dir, 'flex-1');
    await mkdir(share);
    const video = await speechVideo(share, 'Birchwood City Council.mp4', SPOKEN);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(video, hourAgo, hourAgo);
    config = await writeShareConfig(dir, share);
    pids = join(dir, 'engine.pids');
    env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: SPOKEN }) };
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is ended by the run that recovers the job, which then transcribes it', async () => {
    await testDb.release();
    const child = spawnArchivist(['--config', config, 'process-recent-vods'], {
      ...env,
      ...stubEnv({ STUB_ENGINE_FAIL: 'hang', STUB_ENGINE_PIDS: pids }),
      ARCHIVIST_LOG_LEVEL: 'info',
    });
    // The engine's first progress line is read only once its group is recorded on the job.
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await until('the engine has reported progress', () => stderr.includes('10%'), 60_000);
    const engine = JSON.parse(await readFile(pids, 'utf8')) as { engine: number; helper: number };
    try {
      process.kill(child.pid ?? 0, 'SIGKILL');
      await child;
      expect(await processAlive(engine.engine)).toBe(true);
      expect(await processAlive(engine.helper)).toBe(true);

      await testDb.use(async (db) => {
        expect(
          await db.selectFrom('jobs').select(['state', 'engine_host', 'engine_pgid']).where('kind', '=', 'transcribe').executeTakeFirst(),
        ).toEqual({ state: 'running', engine_host: hostname(), engine_pgid: engine.engine });
        await db
          .updateTable('jobs')
          .set({ heartbeat_at: sql`now() - interval '1 hour'` })
          .where('state', '=', 'running')
          .execute();
      });
      const next = await testDb.run(['--config', config, 'process-recent-vods'], env);
      expect(next.exitCode, next.stderr).toBe(0);
      expect(await processAlive(engine.engine)).toBe(false);
      expect(await processAlive(engine.helper)).toBe(false);
      const done = await testDb.use((db) =>
        db.selectFrom('jobs').select(['state', 'engine_pgid']).where('kind', '=', 'transcribe').executeTakeFirstOrThrow(),
      );
      // The new attempt's own engine, which exited normally.
      expect(done.state).toBe('succeeded');
      expect(done.engine_pgid).not.toBe(engine.engine);
    } finally {
      try {
        process.kill(-engine.engine, 'SIGKILL'); // leave nothing behind when a check fails
      } catch {
        // gone, as it should be
      }
    }
  });
});
