import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/db/schema.js';
import { backoffSeconds } from '../../src/lib/jobs/backoff.js';
import { claimJobs } from '../../src/lib/jobs/claim-jobs.js';
import { completeJob } from '../../src/lib/jobs/complete-job.js';
import { cancelJobs } from '../../src/lib/jobs/cancel-job.js';
import { drainJobs } from '../../src/lib/jobs/drain.js';
import type { JobOutcome } from '../../src/lib/jobs/outcome.js';
import type { QueuePolicy } from '../../src/lib/jobs/types.js';
import { singleJobStep } from '../../src/lib/pipeline/steps/define-step.js';
import { enqueueJob, requeueJob } from '../../src/lib/jobs/enqueue-job.js';
import { failJob } from '../../src/lib/jobs/fail-job.js';
import { recoverStaleJobs } from '../../src/lib/jobs/recover-stale-jobs.js';
import { releaseJobs } from '../../src/lib/jobs/release-job.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { defined } from '../support/defined.js';
import { compiled } from '../support/compiled.js';

const WORKER = fileURLToPath(new URL('../support/worker.ts', import.meta.url));
const silent = pino({ level: 'silent' });
const POLICY: QueuePolicy = { maxAttempts: 5, backoffBaseSeconds: 0, backoffMaxSeconds: 0 };
const ONE_AT_A_TIME = { engine: { batchSize: 1 } };

async function addMedia(db: Kysely<Database>, count: number): Promise<number[]> {
  const rows = await db
    .insertInto('media')
    .values(Array.from({ length: count }, (_, i) => ({ site: 'test', path: `/share/recording-${i}.mp4`, source: 'share' as const })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

async function addOneMedia(db: Kysely<Database>): Promise<number> {
  return defined((await addMedia(db, 1))[0], 'the id of the new media');
}

function worker(env: Record<string, string>, args: string[]) {
  return execa('node', [compiled(WORKER), ...args], {
    env: { ...env, ARCHIVIST_LOG_LEVEL: 'warn' },
    reject: false,
    buffer: true,
  });
}

describe(`job queue (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  beforeEach(async () => {
    testDb = await createTestDatabase();
  });
  afterEach(async () => {
    await testDb.drop();
  });

  it('enqueues one job per media and kind', async () => {
    await testDb.use(async (db) => {
      const mediaId = await addOneMedia(db);
      const first = await enqueueJob(db, { mediaId, kind: 'probe' }, POLICY);
      const second = await enqueueJob(db, { mediaId, kind: 'probe' }, POLICY);
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.job.id).toBe(first.job.id);
      const count = await db
        .selectFrom('jobs')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      expect(count.n).toBe(1);
    });
  });

  it('claims a job once, completes it and enqueues the next step in the same transaction', async () => {
    await testDb.use(async (db) => {
      const mediaId = await addOneMedia(db);
      await enqueueJob(db, { mediaId, kind: 'probe' }, POLICY);
      const job = defined((await claimJobs(db, { kind: 'probe', workerId: 'a', limit: 5 }))[0], 'a claimed job');
      expect(job.attempts).toBe(1);
      expect(await claimJobs(db, { kind: 'probe', workerId: 'b', limit: 5 })).toEqual([]);
      expect(await completeJob(db, job, 'a', { output: { durationSec: 12 }, next: ['transcribe'] }, POLICY)).toBe(true);
      const jobs = await db.selectFrom('jobs').select(['kind', 'state', 'output']).orderBy('id').execute();
      expect(jobs).toEqual([
        { kind: 'probe', state: 'succeeded', output: { durationSec: 12 } },
        { kind: 'transcribe', state: 'queued', output: null },
      ]);
    });
  });

  it('does not let a worker that lost its lease complete the job', async () => {
    await testDb.use(async (db) => {
      const mediaId = await addOneMedia(db);
      await enqueueJob(db, { mediaId, kind: 'probe' }, POLICY);
      const job = defined((await claimJobs(db, { kind: 'probe', workerId: 'a', limit: 1 }))[0], 'a claimed job');
      await db
        .updateTable('jobs')
        .set({ heartbeat_at: sql`now() - interval '1 hour'` })
        .execute();
      expect(await recoverStaleJobs(db, 60)).toEqual([{ id: job.id, state: 'queued' }]);
      expect(await completeJob(db, job, 'a', { next: ['transcribe'] }, POLICY)).toBe(false);
      const again = defined((await claimJobs(db, { kind: 'probe', workerId: 'b', limit: 1 }))[0], 'a claimed job');
      expect(again.attempts).toBe(2);
      expect(await db.selectFrom('jobs').select('kind').where('kind', '=', 'transcribe').execute()).toEqual([]);
    });
  });

  it('backs a failing job off exponentially, then ends it dead after max attempts', async () => {
    await testDb.use(async (db) => {
      const mediaId = await addOneMedia(db);
      await enqueueJob(db, { mediaId, kind: 'probe' }, { maxAttempts: 3 });
      const job = defined((await claimJobs(db, { kind: 'probe', workerId: 'w', limit: 1 }))[0], 'a claimed job');
      expect(
        await failJob(
          db,
          job,
          'w',
          { error: 'boom', permanent: false },
          { maxAttempts: 3, backoffBaseSeconds: 60, backoffMaxSeconds: 3600 },
        ),
      ).toBe('queued');
      const waiting = await db
        .selectFrom('jobs')
        .select(sql<number>`extract(epoch from run_after - now())::float8`.as('wait'))
        .executeTakeFirstOrThrow();
      expect(waiting.wait).toBeGreaterThan(45);
      expect(waiting.wait).toBeLessThanOrEqual(60);
      expect(await claimJobs(db, { kind: 'probe', workerId: 'w', limit: 1 })).toEqual([]);

      await db
        .updateTable('jobs')
        .set({ run_after: sql`now()` })
        .execute();
      const step = singleJobStep('probe', ONE_AT_A_TIME, () => Promise.reject(new Error('engine exploded')));
      const summary = await drainJobs({
        db,
        log: silent,
        steps: [step],
        signal: new AbortController().signal,
        concurrency: 1,
        leaseSeconds: 60,
        heartbeatSeconds: 30,
        policy: { maxAttempts: 5, backoffBaseSeconds: 0, backoffMaxSeconds: 0 },
        next: () => [],
      });
      expect(summary).toMatchObject({ failed: 1, dead: 1 });
      const final = await db.selectFrom('jobs').select(['state', 'attempts', 'last_error']).executeTakeFirstOrThrow();
      expect(final).toEqual({ state: 'dead', attempts: 3, last_error: 'engine exploded' });
    });
  });

  it('computes backoff that doubles, is capped and jittered downwards only', () => {
    const settings = { backoffBaseSeconds: 60, backoffMaxSeconds: 3600 };
    expect(backoffSeconds(1, settings, () => 0)).toBe(60);
    expect(backoffSeconds(2, settings, () => 0)).toBe(120);
    expect(backoffSeconds(4, settings, () => 0)).toBe(480);
    expect(backoffSeconds(20, settings, () => 0)).toBe(3600);
    expect(backoffSeconds(2, settings, () => 1)).toBe(96);
  });

  it('hands released jobs back without spending an attempt, and requeues finished ones on demand', async () => {
    await testDb.use(async (db) => {
      const mediaId = await addOneMedia(db);
      await enqueueJob(db, { mediaId, kind: 'probe' }, POLICY);
      const job = defined((await claimJobs(db, { kind: 'probe', workerId: 'w', limit: 1 }))[0], 'a claimed job');
      expect(await releaseJobs(db, 'w', [job.id])).toBe(1);
      const again = defined((await claimJobs(db, { kind: 'probe', workerId: 'w', limit: 1 }))[0], 'a claimed job');
      expect(again.attempts).toBe(1);
      await completeJob(db, again, 'w', { next: [] }, POLICY);
      const requeued = await requeueJob(db, { mediaId, kind: 'probe' }, POLICY);
      expect(requeued).toMatchObject({ state: 'queued', attempts: 0 });
    });
  });

  it('hands back the rest of a batch aborted because one of its jobs was cancelled', async () => {
    await testDb.use(async (db) => {
      const ids = await addMedia(db, 2);
      for (const id of ids) await enqueueJob(db, { mediaId: id, kind: 'transcribe' }, POLICY);
      const summary = await drainJobs({
        db,
        log: silent,
        steps: [
          {
            kind: 'transcribe',
            batchSize: 2,
            needs: [],
            async run(jobs, ctx) {
              await cancelJobs(db, { jobId: defined(jobs[0], 'the first job of the batch').id }, 'cancelled by an operator');
              await ctx.heartbeat();
              expect(ctx.signal.aborted).toBe(true);
              return new Map<number, JobOutcome>(jobs.map((job) => [job.id, { status: 'failed', error: 'aborted', permanent: false }]));
            },
          },
        ],
        signal: new AbortController().signal,
        concurrency: 1,
        leaseSeconds: 60,
        heartbeatSeconds: 30,
        policy: { maxAttempts: 5, backoffBaseSeconds: 60, backoffMaxSeconds: 60 },
        next: () => [],
        limit: 2,
      });
      expect(summary).toMatchObject({ claimed: 2, failed: 0, dead: 0, handedBack: 1 });
      const jobs = await db.selectFrom('jobs').select(['state', 'attempts']).orderBy('id').execute();
      expect(jobs).toEqual([
        { state: 'cancelled', attempts: 1 },
        { state: 'queued', attempts: 0 },
      ]);
    });
  });

  it('stops and waits for the other batches when an outcome cannot be recorded, handing their jobs back', async () => {
    await testDb.use(async (db) => {
      const ids = await addMedia(db, 2);
      for (const id of ids) await enqueueJob(db, { mediaId: id, kind: 'probe' }, POLICY);
      let calls = 0;
      let otherStopped = false;
      let secondStarted!: () => void;
      const started = new Promise<void>((resolve) => (secondStarted = resolve));
      const step = singleJobStep('probe', ONE_AT_A_TIME, async (_job, ctx) => {
        calls += 1;
        if (calls === 1) {
          await started;
          // This output cannot be stored (JSON has no BigInt): recording it throws.
          return { status: 'succeeded', output: { n: 1n } };
        }
        secondStarted();
        await new Promise((resolve) => {
          ctx.signal.addEventListener('abort', resolve, { once: true });
        });
        otherStopped = true;
        return { status: 'failed', error: 'aborted', permanent: false };
      });
      const drain = drainJobs({
        db,
        log: silent,
        steps: [step],
        signal: new AbortController().signal,
        concurrency: 2,
        leaseSeconds: 60,
        heartbeatSeconds: 30,
        policy: { maxAttempts: 5, backoffBaseSeconds: 0, backoffMaxSeconds: 0 },
        next: () => [],
      });
      await expect(drain).rejects.toThrow(/BigInt/);
      expect(otherStopped).toBe(true);
      const jobs = await db.selectFrom('jobs').select(['state', 'attempts']).orderBy('id').execute();
      expect(jobs).toEqual([
        { state: 'running', attempts: 1 },
        { state: 'queued', attempts: 0 },
      ]);
    });
  });

  describe.skipIf(TEST_DB_KIND !== 'postgres')('several processes (PostgreSQL only: the embedded database serves one process)', () => {
    it('two worker processes draining 500 jobs process each exactly once', async () => {
      await testDb.use(async (db) => {
        const ids = await addMedia(db, 500);
        await db
          .insertInto('jobs')
          .values(ids.map((id) => ({ media_id: id, kind: 'probe' as const })))
          .execute();
        // Made here, not by two workers at once: concurrent CREATE TABLE IF NOT EXISTS can
        // still collide in PostgreSQL's catalog (duplicate key in pg_type).
        await sql`create table test_work_log (job_id integer not null, worker text not null)`.execute(db);
      });
      const [a, b] = await Promise.all([worker(testDb.env, ['--concurrency', '4']), worker(testDb.env, ['--concurrency', '4'])]);
      expect(a.stderr).toBe('');
      expect(b.stderr).toBe('');
      expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
      await testDb.use(async (db) => {
        const log = await sql<{ job_id: number; n: number }>`select job_id, count(*)::int as n from test_work_log group by job_id`.execute(
          db,
        );
        expect(log.rows).toHaveLength(500);
        expect(log.rows.every((r) => r.n === 1)).toBe(true);
        const states = await db
          .selectFrom('jobs')
          .select(['state', sql<number>`count(*)::int`.as('n')])
          .groupBy('state')
          .execute();
        expect(states).toEqual([{ state: 'succeeded', n: 500 }]);
        const workers = await sql<{ n: number }>`select count(distinct worker)::int as n from test_work_log`.execute(db);
        expect(workers.rows[0]?.n).toBe(2);
      });
    });

    it('recovers the job of a worker killed with SIGKILL once its lease runs out', async () => {
      await testDb.use(async (db) => {
        const mediaId = await addOneMedia(db);
        await enqueueJob(db, { mediaId, kind: 'probe' }, POLICY);
      });
      const hung = execa('node', [compiled(WORKER), '--mode', 'hang'], {
        env: { ...testDb.env, ARCHIVIST_LOG_LEVEL: 'warn' },
        reject: false,
      });
      await new Promise<void>((resolve) => {
        hung.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('claimed')) resolve();
        });
      });
      hung.kill('SIGKILL');
      await hung;
      await testDb.use(async (db) => {
        expect(await db.selectFrom('jobs').select(['state', 'attempts']).executeTakeFirstOrThrow()).toEqual({
          state: 'running',
          attempts: 1,
        });
      });
      // The dead worker's lease runs out: its heartbeat is made older than the lease.
      await testDb.use((db) => sql`update jobs set heartbeat_at = now() - interval '1 hour'`.execute(db));
      const next = await worker(testDb.env, []);
      expect(next.exitCode).toBe(0);
      await testDb.use(async (db) => {
        expect(await db.selectFrom('jobs').select(['state', 'attempts']).executeTakeFirstOrThrow()).toEqual({
          state: 'succeeded',
          attempts: 2,
        });
        const runs = await db.selectFrom('runs').select(['outcome']).orderBy('id').execute();
        expect(runs.map((r) => r.outcome)).toEqual(['running', 'succeeded']);
      });
    });

    it('hands claimed jobs back on SIGTERM and exits 143', async () => {
      await testDb.use(async (db) => {
        const ids = await addMedia(db, 3);
        for (const id of ids) await enqueueJob(db, { mediaId: id, kind: 'probe' }, POLICY);
      });
      const hung = execa('node', [compiled(WORKER), '--mode', 'hang', '--concurrency', '3'], {
        env: { ...testDb.env, ARCHIVIST_LOG_LEVEL: 'warn' },
        reject: false,
        // The SIGTERM below must be the only signal: the worker's hand-back may take longer than execa's 5 s.
        forceKillAfterDelay: false,
      });
      let claimed = 0;
      await new Promise<void>((resolve) =>
        hung.stdout.on('data', (chunk: Buffer) => {
          claimed += chunk.toString().split('claimed').length - 1;
          if (claimed === 3) resolve();
        }),
      );
      hung.kill('SIGTERM');
      const result = await hung;
      expect(result.exitCode).toBe(143);
      await testDb.use(async (db) => {
        const jobs = await db.selectFrom('jobs').select(['state', 'attempts', 'locked_by']).execute();
        expect(jobs).toEqual(Array.from({ length: 3 }, () => ({ state: 'queued', attempts: 0, locked_by: null })));
        const run = await db.selectFrom('runs').select(['outcome', 'exit_code']).executeTakeFirstOrThrow();
        expect(run).toEqual({ outcome: 'interrupted', exit_code: 143 });
      });
    });
  });
});
