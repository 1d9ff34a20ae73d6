import { mkdir, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requeueJob } from '../../src/lib/jobs/enqueue-job.js';
import { Capture, runArchivist, spawnArchivist } from '../support/cli.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { processAlive, stubEnv } from '../support/engines/stub-engines.js';
import { writeShareConfig } from '../support/share-config.js';
import { speechVideo } from '../support/media.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { until } from '../support/until.js';

const SPOKEN = 'The meeting is called to order.';

/**
 * A PostgreSQL that stops answering mid-run (its network frozen, its connections cut, or it
 * refusing new ones) while the engine works: the run must end with exit 3, not hang or exit 1.
 * The database sits behind a TCP proxy that fails on cue once the engine has started.
 */
describe.skipIf(TEST_DB_KIND !== 'postgres')('a database that stops answering mid-run (postgres)', () => {
  let testDb: TestDatabase;
  let dir: string;
  let share: string;
  let proxy: TcpProxy;
  let pids: string;
  let env: Record<string, string>;

  const configFile = (database: Record<string, number>, jobs: Record<string, number>): Promise<string> =>
    writeShareConfig(dir, share, { jobs, database }, `config-${Object.values(database).join('-')}.json`);
  // Short bounds, so that the run notices within seconds.
  let quick: string;

  const engine = async (): Promise<{ engine: number; helper: number }> => {
    await until('the engine has started', async () => (await readFile(pids, 'utf8').catch(() => '')) !== '', 60_000);
    return JSON.parse(await readFile(pids, 'utf8')) as { engine: number; helper: number };
  };
  const transcribeJob = () =>
    testDb.use((db) =>
      db
        .selectFrom('jobs')
        .select(['id', 'media_id', 'state', 'attempts', 'locked_by'])
        .where('kind', '=', 'transcribe')
        .executeTakeFirstOrThrow(),
    );
  const lastRun = () =>
    testDb.use((db) => db.selectFrom('runs').select(['outcome', 'exit_code']).orderBy('id', 'desc').executeTakeFirstOrThrow());

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-outage-'));
    share = join(dir, 'flex-1');
    await mkdir(share);
    const video = await speechVideo(share, 'Birchwood City Council.mp4', SPOKEN);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(video, hourAgo, hourAgo);
    quick = await configFile({ statementTimeoutSeconds: 1, connectTimeoutSeconds: 1 }, { heartbeatSeconds: 1, leaseSeconds: 10 });
    pids = join(dir, 'engine.pids');
  });
  beforeEach(async () => {
    await rm(pids, { force: true });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(testDb.env.DATABASE_URL ?? '').port || 5432) });
    env = {
      ...testDb.env,
      DATABASE_URL: proxy.via(testDb.env.DATABASE_URL ?? ''),
      ...stubEnv({ STUB_WHISPER_TEXT: SPOKEN, STUB_ENGINE_FAIL: 'hang', STUB_ENGINE_PIDS: pids }),
    };
    // Each case starts from a transcription waiting to run.
    await testDb.use(async (db) => {
      const job = await db.selectFrom('jobs').select('media_id').where('kind', '=', 'transcribe').executeTakeFirst();
      if (job) {
        await db.updateTable('jobs').set({ state: 'queued', locked_by: null }).where('kind', '=', 'transcribe').execute();
        await requeueJob(db, { mediaId: job.media_id, kind: 'transcribe' }, { maxAttempts: 5 });
      }
    });
  });
  afterAll(async () => {
    await proxy.close();
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('frozen network: exit 3, the engine ended, the job left for lease recovery', async () => {
    const running = runArchivist(['--config', quick, 'process-recent-vods'], env);
    const { engine: enginePid, helper } = await engine();
    proxy.freeze();
    const result = await running;
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/database did not answer/);
    expect(await processAlive(enginePid)).toBe(false);
    expect(await processAlive(helper)).toBe(false);
    await proxy.close();
    // Nothing could be written back: the job waits for its lease to run out, the run row says running.
    expect(await transcribeJob()).toMatchObject({ state: 'running', attempts: 1 });
    expect(await lastRun()).toMatchObject({ outcome: 'running' });
  });

  it('refused, then back: exit 3, the job handed back and the run recorded once it answers again', async () => {
    // The database comes back the moment the run has seen it fail (in this process, so on cue).
    const stderr = new Capture();
    const write = stderr._write.bind(stderr);
    stderr._write = (chunk, encoding, done) => {
      if (chunk.toString().includes('heartbeat failed')) proxy.resume();
      write(chunk, encoding, done);
    };
    const running = runArchivist(['--config', quick, 'process-recent-vods'], env, { stderr });
    await engine();
    await proxy.refuse();
    const result = await running;
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/ECONNREFUSED/);
    expect(await transcribeJob()).toMatchObject({ state: 'queued', attempts: 0, locked_by: null });
    expect(await lastRun()).toMatchObject({ outcome: 'unavailable', exit_code: 3 });
  });

  it('SIGTERM ends a run whose database froze within 10 s, even with long database timeouts', async () => {
    // With these bounds the run would notice the frozen database only after a minute.
    const patient = await configFile({ statementTimeoutSeconds: 60, connectTimeoutSeconds: 30 }, { heartbeatSeconds: 5, leaseSeconds: 60 });
    await testDb.release();
    const child = spawnArchivist(['--config', patient, 'process-recent-vods'], env);
    const { engine: enginePid } = await engine();
    proxy.freeze();
    child.kill('SIGTERM');
    let exited = false;
    void child.then(() => (exited = true));
    await until('archivist has exited after SIGTERM', () => exited, 10_000);
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(143);
    expect(await processAlive(enginePid)).toBe(false);
  });
});
