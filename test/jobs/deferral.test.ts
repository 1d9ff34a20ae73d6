import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, JobKind } from '../../src/lib/db/schema.js';
import { PermanentError, UnavailableError, UsageError } from '../../src/lib/errors.js';
import { drainJobs, type DrainOptions, type StepHandler } from '../../src/lib/jobs/drain.js';
import { enqueueJob } from '../../src/lib/jobs/enqueue-job.js';
import type { QueuePolicy } from '../../src/lib/jobs/types.js';
import { singleJobStep } from '../../src/lib/pipeline/steps/define-step.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';

const silent = pino({ level: 'silent' });
const POLICY: QueuePolicy = { maxAttempts: 5, backoffBaseSeconds: 0, backoffMaxSeconds: 0 };
const ONE = { engine: { batchSize: 1 } };

async function queue(db: Kysely<Database>, kinds: readonly JobKind[], count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const media = await db
      .insertInto('media')
      .values({ site: 'test', path: `/share/recording-${i}.mp4`, source: 'share' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const kind of kinds) await enqueueJob(db, { mediaId: media.id, kind }, POLICY);
  }
}

function drain(db: Kysely<Database>, steps: StepHandler[], failedBefore: DrainOptions['failedBefore'] = []) {
  return drainJobs({
    failedBefore,
    db,
    log: silent,
    steps,
    signal: new AbortController().signal,
    policy: POLICY,
    next: () => [],
    concurrency: 1,
    leaseSeconds: 60,
    heartbeatSeconds: 30,
  });
}

const jobStates = (db: Kysely<Database>) =>
  db.selectFrom('jobs').select(['kind', 'state', 'attempts']).orderBy('kind').orderBy('id').execute();

describe(`a failure costs only what it is about (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  beforeEach(async () => {
    testDb = await createTestDatabase();
  });
  afterEach(async () => {
    await testDb.drop();
  });

  it('a dependency down defers every step that needs it, hands its jobs back untouched, and the rest runs', async () => {
    await testDb.use(async (db) => {
      await queue(db, ['link', 'fetch', 'captions'], 3);
      let linkCalls = 0;
      const summary = await drain(db, [
        singleJobStep('link', ONE, () => {
          linkCalls += 1;
          return Promise.reject(new UnavailableError('cannot reach Cablecast: connection refused', 'cablecast'));
        }),
        singleJobStep('fetch', ONE, () => Promise.reject(new Error('fetch must not run while Cablecast is down'))),
        singleJobStep('captions', ONE, () => Promise.resolve({ status: 'succeeded' })),
      ]);
      expect(linkCalls).toBe(1);
      expect(summary).toMatchObject({ succeeded: 3, failed: 0, dead: 0, handedBack: 1 });
      expect(summary.deferred).toEqual([
        {
          dependency: 'cablecast',
          kinds: ['link', 'fetch'],
          work: [],
          reason: 'cannot reach Cablecast: connection refused',
          problems: [],
          exitCode: 3,
        },
      ]);
      const states = await jobStates(db);
      expect(states.filter((j) => j.kind === 'captions').every((j) => j.state === 'succeeded')).toBe(true);
      expect(states.filter((j) => j.kind !== 'captions').every((j) => j.state === 'queued' && j.attempts === 0)).toBe(true);
    });
  });

  it('a settings problem defers only its own step, with exit code 2; an item that can never succeed is dead alone', async () => {
    await testDb.use(async (db) => {
      await queue(db, ['upload', 'retranscode'], 2);
      let uploads = 0;
      let renditions = 0;
      const summary = await drain(db, [
        // The drain's part only; that the upload step really throws this: test/upload/upload-cli.test.ts.
        singleJobStep('upload', ONE, () => {
          uploads += 1;
          return Promise.reject(
            new UsageError('upload.store is 9, but Cablecast has no file store 9', ['set upload.store to one of them']),
          );
        }),
        singleJobStep('retranscode', ONE, () => {
          renditions += 1;
          return renditions === 1 ? Promise.reject(new PermanentError('no video stream')) : Promise.resolve({ status: 'succeeded' });
        }),
      ]);
      expect([uploads, renditions]).toEqual([1, 2]);
      expect(summary).toMatchObject({ succeeded: 1, dead: 1, handedBack: 1 });
      expect(summary.deferred).toEqual([
        {
          dependency: null,
          kinds: ['upload'],
          work: [],
          reason: 'upload.store is 9, but Cablecast has no file store 9',
          problems: ['set upload.store to one of them'],
          exitCode: 2,
        },
      ]);
    });
  });

  it('a dependency found failing before the drain leaves its steps untried from the start, reported once with the other work it stopped', async () => {
    await testDb.use(async (db) => {
      await queue(db, ['link', 'captions'], 2);
      const refused = new UsageError('Cablecast refused POST /shows/search/advanced (HTTP 401)', ['check cablecast.password'], {
        dependency: 'cablecast',
      });
      const summary = await drain(
        db,
        [
          singleJobStep('link', ONE, () => Promise.reject(new Error('link must not run: Cablecast refused already'))),
          singleJobStep('captions', ONE, () => Promise.resolve({ status: 'succeeded' })),
        ],
        [{ error: refused, work: ['Cablecast VOD discovery'] }],
      );
      expect(summary).toMatchObject({ claimed: 2, succeeded: 2, handedBack: 0 });
      expect(summary.deferred).toEqual([
        {
          dependency: 'cablecast',
          kinds: ['link'],
          work: ['Cablecast VOD discovery'],
          reason: refused.message,
          problems: ['check cablecast.password'],
          exitCode: 2,
        },
      ]);
      const states = await jobStates(db);
      expect(states.filter((j) => j.kind === 'link').every((j) => j.state === 'queued' && j.attempts === 0)).toBe(true);
    });
  });
});
