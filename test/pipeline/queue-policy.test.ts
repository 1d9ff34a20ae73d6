import { mkdir, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { writeShareConfig } from '../support/share-config.js';
import { speechVideo } from '../support/media.js';

const SPOKEN = 'The meeting is called to order.';

describe(`the queue policy reaches every job a recording gets (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let share: string;
  let env: Record<string, string>;
  const configWith = (jobs: Record<string, number>): Promise<string> =>
    writeShareConfig(dir, share, { jobs }, `config-${Object.values(jobs).join('-')}.json`);
  const jobsOf = (path: string) =>
    testDb.use((db) =>
      db
        .selectFrom('jobs')
        .innerJoin('media', 'media.id', 'jobs.media_id')
        .select([
          'jobs.id',
          'jobs.kind',
          'jobs.state',
          'jobs.max_attempts',
          sql<number>`extract(epoch from jobs.run_after - now())::float8`.as('waitSeconds'),
        ])
        .where('media.path', '=', path)
        .orderBy('jobs.id')
        .execute(),
    );

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-policy-'));
    share = join(dir, 'flex-1');
    await mkdir(share);
    env = stubEnv({ STUB_WHISPER_TEXT: SPOKEN });
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('uses jobs.maxAttempts for the jobs the chain queues, the configured backoff for a failure, and a changed policy on retry', async () => {
    const video = await speechVideo(share, 'Birchwood City Council.mp4', SPOKEN);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(video, hourAgo, hourAgo);

    const strict = await configWith({ maxAttempts: 2, backoffBaseSeconds: 900, backoffMaxSeconds: 900 });
    const failing = await testDb.run(['--config', strict, 'process-recent-vods'], { ...env, STUB_ENGINE_FAIL: 'exit' });
    expect(failing.exitCode).toBe(1);
    const [probe, transcribe] = await jobsOf(video);
    expect(probe).toMatchObject({ kind: 'probe', state: 'succeeded', max_attempts: 2 });
    expect(transcribe).toMatchObject({ kind: 'transcribe', state: 'queued', max_attempts: 2 });
    // 900 s with up to 20% jitter downwards, not the default 60 s.
    expect(transcribe?.waitSeconds).toBeGreaterThan(700);
    expect(transcribe?.waitSeconds).toBeLessThanOrEqual(900);

    const relaxed = await configWith({ maxAttempts: 3, backoffBaseSeconds: 60, backoffMaxSeconds: 60 });
    const retried = await testDb.run(['--config', relaxed, 'jobs', 'retry', String(transcribe?.id)], env);
    expect(retried.exitCode, retried.stderr).toBe(0);
    const done = await testDb.run(['--config', relaxed, 'process-recent-vods'], env);
    expect(done.exitCode, done.stderr).toBe(0);
    expect((await jobsOf(video)).map((job) => [job.kind, job.state, job.max_attempts])).toEqual([
      ['probe', 'succeeded', 2],
      ['transcribe', 'succeeded', 3],
      ['captions', 'succeeded', 3],
    ]);
    expect(await readFile(video.replace(/\.mp4$/, '.scc'), 'utf8')).toContain('Scenarist_SCC V1.0');
  });
});
