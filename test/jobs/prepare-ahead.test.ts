import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainExitCode } from '../../src/lib/cli/drain-report.js';
import type { Database, Job } from '../../src/lib/db/schema.js';
import { UnavailableError } from '../../src/lib/errors.js';
import { enqueueJob } from '../../src/lib/jobs/enqueue-job.js';
import { drainJobs, type DrainOptions, type PreparedBatch, type StepHandler } from '../../src/lib/jobs/drain.js';
import type { JobOutcome } from '../../src/lib/jobs/outcome.js';
import type { QueuePolicy } from '../../src/lib/jobs/types.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { until } from '../support/until.js';

const silent = pino({ level: 'silent' });
const POLICY: QueuePolicy = { maxAttempts: 5, backoffBaseSeconds: 0, backoffMaxSeconds: 0 };

async function queueTranscriptions(db: Kysely<Database>, count: number): Promise<number[]> {
  const media = await db
    .insertInto('media')
    .values(Array.from({ length: count }, (_, i) => ({ site: 'test', path: `/share/meeting-${i}.mp4`, source: 'share' as const })))
    .returning('id')
    .execute();
  const ids: number[] = [];
  for (const { id } of media) ids.push((await enqueueJob(db, { mediaId: id, kind: 'transcribe' }, POLICY)).job.id);
  return ids;
}

/**
 * A two-part step of one job a batch that writes down what happens to each job, in order:
 * `prepare N`, `run N`, `ran N`, `discard N`. `rest` is the second part (the engine's place);
 * preparing a job fails with what `unprepared` gives for it.
 */
function twoPartStep(
  events: string[],
  rest: (job: Job) => Promise<JobOutcome>,
  unprepared: (job: Job) => Error | undefined = () => undefined,
): StepHandler {
  const prepare = (jobs: Job[]): Promise<PreparedBatch> => {
    const [job] = jobs;
    if (job === undefined) throw new Error('a batch of none');
    events.push(`prepare ${job.id}`);
    const error = unprepared(job);
    if (error) return Promise.reject(error);
    return Promise.resolve({
      run: async () => {
        events.push(`run ${job.id}`);
        const outcome = await rest(job);
        events.push(`ran ${job.id}`);
        return new Map([[job.id, outcome]]);
      },
      discard: () => {
        events.push(`discard ${job.id}`);
        return Promise.resolve();
      },
    });
  };
  return { kind: 'transcribe', batchSize: 1, needs: ['engine'], prepare, run: async (jobs) => (await prepare(jobs)).run() };
}

function drain(db: Kysely<Database>, step: StepHandler, extra: Partial<DrainOptions> = {}) {
  return drainJobs({
    db,
    log: silent,
    steps: [step],
    signal: new AbortController().signal,
    policy: POLICY,
    next: () => [],
    concurrency: 1,
    leaseSeconds: 60,
    heartbeatSeconds: 30,
    ...extra,
  });
}

const done: JobOutcome = { status: 'succeeded' };

describe(`preparing the next batch (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  beforeEach(async () => {
    testDb = await createTestDatabase();
  });
  afterEach(async () => {
    await testDb.drop();
  });

  it('prepares each next batch while the one before is in its rest, and runs it next', async () => {
    await testDb.use(async (db) => {
      const [a, b, c] = await queueTranscriptions(db, 3);
      const events: string[] = [];
      const after = new Map([
        [a, b],
        [b, c],
      ]);
      // Each rest ends only once the next batch is being prepared: without the overlap this waits out.
      const step = twoPartStep(events, async (job) => {
        const next = after.get(job.id);
        if (next !== undefined) await until(`job ${next} is prepared`, () => events.includes(`prepare ${next}`));
        return done;
      });
      const summary = await drain(db, step);
      expect(summary).toMatchObject({ claimed: 3, succeeded: 3, handedBack: 0 });
      expect(events).toEqual([
        `prepare ${a}`,
        `run ${a}`,
        `prepare ${b}`,
        `ran ${a}`,
        `run ${b}`,
        `prepare ${c}`,
        `ran ${b}`,
        `run ${c}`,
        `ran ${c}`,
      ]);
    });
  });

  it('claims ahead only within --limit', async () => {
    await testDb.use(async (db) => {
      const [a, b] = await queueTranscriptions(db, 3);
      const events: string[] = [];
      const summary = await drain(
        db,
        twoPartStep(events, () => Promise.resolve(done)),
        { limit: 2 },
      );
      expect(summary).toMatchObject({ claimed: 2, succeeded: 2, stoppedBy: 'limit' });
      expect(events.filter((e) => e.startsWith('prepare'))).toEqual([`prepare ${a}`, `prepare ${b}`]);
      const states = await db.selectFrom('jobs').select(['state', 'attempts']).orderBy('id').execute();
      expect(states[2]).toEqual({ state: 'queued', attempts: 0 });
    });
  });

  it('hands a prepared batch back untouched, discarding what it made, when its step is deferred', async () => {
    await testDb.use(async (db) => {
      const [a, b] = await queueTranscriptions(db, 2);
      const events: string[] = [];
      const step = twoPartStep(events, async () => {
        await until('the next batch is prepared', () => events.includes(`prepare ${b}`));
        return { status: 'deferred', error: new UnavailableError('whisper-cli is not installed', 'engine') };
      });
      const summary = await drain(db, step);
      expect(events).toEqual([`prepare ${a}`, `run ${a}`, `prepare ${b}`, `ran ${a}`, `discard ${b}`]);
      // The prepared batch was never worked on: it is not counted as claimed or handed back.
      expect(summary).toMatchObject({ claimed: 1, handedBack: 1, succeeded: 0 });
      expect(summary.deferred.map((d) => d.dependency)).toEqual(['engine']);
      const states = await db.selectFrom('jobs').select(['state', 'attempts', 'locked_by']).orderBy('id').execute();
      expect(states).toEqual([
        { state: 'queued', attempts: 0, locked_by: null },
        { state: 'queued', attempts: 0, locked_by: null },
      ]);
    });
  });

  it('hands the next batch back and leaves transcription for the next run (exit 3) when preparing it finds ffmpeg gone', async () => {
    await testDb.use(async (db) => {
      const [a, b] = await queueTranscriptions(db, 3);
      const events: string[] = [];
      const step = twoPartStep(
        events,
        async () => {
          await until('the next batch is being prepared', () => events.includes(`prepare ${b}`));
          return done;
        },
        (job) =>
          job.id === b ? new UnavailableError('ffmpeg is not installed or not executable (ENOENT); install ffmpeg', 'ffmpeg') : undefined,
      );
      const summary = await drain(db, step);
      expect(events).toEqual([`prepare ${a}`, `run ${a}`, `prepare ${b}`, `ran ${a}`]);
      expect(summary).toMatchObject({ claimed: 2, succeeded: 1, handedBack: 1 });
      expect(summary.deferred.map((d) => d.dependency)).toEqual(['ffmpeg']);
      expect(drainExitCode(summary)).toBe(3);
      const states = await db.selectFrom('jobs').select(['state', 'attempts']).orderBy('id').execute();
      expect(states).toEqual([
        { state: 'succeeded', attempts: 1 },
        { state: 'queued', attempts: 0 },
        { state: 'queued', attempts: 0 },
      ]);
    });
  });

  it('does not run a prepared batch once the budget is spent, and hands it back', async () => {
    await testDb.use(async (db) => {
      const [a, b] = await queueTranscriptions(db, 3);
      const events: string[] = [];
      const budgetMs = 3000;
      let clock = 0;
      const step = twoPartStep(events, async () => {
        await until('the next batch is prepared', () => events.includes(`prepare ${b}`));
        clock += budgetMs + 1000;
        return done;
      });
      const summary = await drain(db, step, { budgetMs, now: () => clock });
      expect(summary).toMatchObject({ claimed: 1, succeeded: 1, stoppedBy: 'budget' });
      expect(events).toEqual([`prepare ${a}`, `run ${a}`, `prepare ${b}`, `ran ${a}`, `discard ${b}`]);
      const states = await db.selectFrom('jobs').select(['state', 'attempts']).orderBy('id').execute();
      expect(states.slice(1)).toEqual([
        { state: 'queued', attempts: 0 },
        { state: 'queued', attempts: 0 },
      ]);
    });
  });
});
