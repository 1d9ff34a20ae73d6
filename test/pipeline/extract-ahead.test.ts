import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config/load.js';
import type { Db } from '../../src/lib/db/schema.js';
import { registerFiles } from '../../src/lib/pipeline/register-files.js';
import { queuePolicy, runPipeline } from '../../src/lib/pipeline/run-pipeline.js';
import { pipelineSteps } from '../../src/lib/pipeline/steps/index.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { defined } from '../support/defined.js';
import { processAlive, stubEnv, stubEvents, stubStarts, type StubEvent } from '../support/engines/stub-engines.js';
import { stringContaining } from '../support/matchers.js';
import { speechVideo } from '../support/media.js';
import { silent, testPipeline } from '../support/pipeline.js';
import { until } from '../support/until.js';

const SPOKEN = 'the council will now come to order';

function transcribeJobs(db: Db, mediaIds: readonly number[]) {
  return db
    .selectFrom('jobs')
    .select(['media_id', 'state', 'attempts', 'locked_by', 'last_error', 'heartbeat_at'])
    .where('kind', '=', 'transcribe')
    .where('media_id', 'in', [...mediaIds])
    .orderBy('media_id')
    .execute();
}

/** The events of each engine run, in the order the runs started. */
function byRun(events: StubEvent[]): StubEvent[][] {
  const pids = events.filter((e) => e.event === 'start').map((e) => e.pid);
  return pids.map((pid) => events.filter((e) => e.pid === pid));
}

/**
 * The scratch folders of the audio an engine run saw being written: one per batch prepared
 * ahead. A folder may hold more than one file at that moment (the extraction's temp file and
 * what it was renamed to), so the folders are what say how far ahead the preparing went.
 */
function scratchFolders(event: StubEvent | undefined): string[] {
  const files = event?.event === 'saw' ? event.files : [];
  return [...new Set(files.map((file) => file.split('/')[0] ?? file))];
}

describe(`extracting the next batch's audio while the engine runs (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let recording: string;
  let model: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-extract-ahead-'));
    recording = await speechVideo(dir, 'council.mp4', SPOKEN);
    model = join(dir, 'ggml-base.en.bin');
    await writeFile(model, 'stub model');
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * `names` as recordings of their own, registered and probed, with a config of one file per
   * engine run; `transcribe` drains their transcriptions with the stub engine.
   */
  async function night(name: string, names: readonly string[], engine: Record<string, unknown> = {}) {
    const root = join(dir, name);
    const work = join(root, 'work');
    await mkdir(root);
    const files = names.map((file) => join(root, file));
    for (const file of files) await copyFile(recording, file);
    const configFile = join(root, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        engine: { kind: 'whisper-cpp', model, batchSize: 1, ...engine },
        paths: { work },
        jobs: { leaseSeconds: 10, heartbeatSeconds: 1 },
      }),
    );
    const config = await loadConfig({ file: configFile, env: { ARCHIVIST_STATE_DIR: join(root, 'state') }, cwd: root });
    const log = join(root, 'engine.log');
    const mediaIds = await testDb.use(async (db) => {
      const media = await registerFiles(db, files, root, queuePolicy(config));
      const ids = media.map((m) => m.id);
      const probe = testPipeline(config);
      await runPipeline({
        db,
        config,
        log: silent,
        signal: new AbortController().signal,
        steps: await pipelineSteps(probe.deps, ['probe']),
        mediaIds: ids,
      });
      return ids;
    });
    const transcribe = (env: Record<string, string>, options: { signal?: AbortSignal } = {}) => {
      const pipeline = testPipeline(config, stubEnv({ STUB_WHISPER_TEXT: SPOKEN, STUB_ENGINE_LOG: log, ...env }));
      return testDb.use(async (db) =>
        runPipeline({
          db,
          config,
          log: silent,
          signal: options.signal ?? new AbortController().signal,
          steps: await pipelineSteps(pipeline.deps, ['transcribe']),
          mediaIds,
        }),
      );
    };
    return { files, work, log, mediaIds, transcribe };
  }

  it('extracts the next batch while the engine runs, one batch ahead, and leaves no scratch', async () => {
    const { work, log, mediaIds, transcribe } = await night('overlap', ['a.mp4', 'b.mp4', 'c.mp4']);
    // The first two engine runs wait until they see another batch's audio being written.
    const summary = await transcribe({ STUB_ENGINE_AWAIT_AUDIO: work, STUB_ENGINE_AWAIT_RUNS: '2' });
    expect(summary).toMatchObject({ claimed: 3, succeeded: 3, handedBack: 0 });
    const runs = byRun(await stubEvents(log));
    expect(runs).toHaveLength(3);
    for (const run of runs.slice(0, 2)) {
      const kinds = run.map((e) => e.event);
      expect(kinds).toEqual(['start', 'saw', 'end']);
      expect(run[1]).toMatchObject({ event: 'saw' });
      expect(scratchFolders(run[1])).toEqual([expect.stringMatching(/^\.archivist-scratch-/)]);
    }
    for (const run of runs) {
      const end = run.at(-1);
      // Never more than one batch ahead: whatever other audio there was, it was one scratch directory's.
      const others = end?.event === 'end' ? (end.others ?? []) : [];
      expect(new Set(others.map((file) => file.split('/')[0])).size).toBeLessThanOrEqual(1);
    }
    expect(await readdir(work)).toEqual([]);
    await testDb.use(async (db) => {
      expect((await transcribeJobs(db, mediaIds)).map((j) => j.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    });
  });

  it('with engine.extractAhead off, extracts the next batch only after the engine', async () => {
    const { work, log, transcribe } = await night('in-turn', ['a.mp4', 'b.mp4'], { extractAhead: false });
    const summary = await transcribe({ STUB_ENGINE_AWAIT_AUDIO: work, STUB_ENGINE_AWAIT_RUNS: '1', STUB_ENGINE_AWAIT_MS: '1500' });
    expect(summary).toMatchObject({ claimed: 2, succeeded: 2 });
    const [first] = byRun(await stubEvents(log));
    expect(first?.find((e) => e.event === 'saw')).toMatchObject({ files: [] });
    expect(await readdir(work)).toEqual([]);
  });

  it('fails a file that cannot be extracted alone, the others transcribed', async () => {
    const { files, work, log, mediaIds, transcribe } = await night('unreadable', ['a.mp4', 'b.mp4', 'c.mp4']);
    // Probed fine, unreadable by the time its audio is extracted.
    await writeFile(defined(files[1], 'the second file'), 'not a recording any more');
    const summary = await transcribe({});
    expect(summary).toMatchObject({ claimed: 3, succeeded: 2, failed: 1 });
    expect(await stubStarts(log)).toHaveLength(2);
    expect(await readdir(work)).toEqual([]);
    await testDb.use(async (db) => {
      const jobs = await transcribeJobs(db, mediaIds);
      expect(jobs.map((j) => [j.state, j.attempts])).toEqual([
        ['succeeded', 1],
        ['queued', 1],
        ['succeeded', 1],
      ]);
      expect(jobs[1]?.last_error).toEqual(stringContaining('ffmpeg could not extract audio from'));
    });
  });

  it("keeps the prepared batch's lease alive, and on a stop ends the engine, hands every job back and leaves no scratch", async () => {
    const { work, log, mediaIds, transcribe } = await night('stopped', ['a.mp4', 'b.mp4']);
    const stop = new AbortController();
    const running = transcribe(
      { STUB_ENGINE_FAIL: 'hang', STUB_ENGINE_AWAIT_AUDIO: work, STUB_ENGINE_AWAIT_RUNS: '1' },
      { signal: stop.signal },
    );
    await until(
      'the engine has seen the next batch being extracted',
      async () => (await stubEvents(log)).some((e) => e.event === 'saw'),
      60_000,
    );
    const prepared = await testDb.use(async (db) => (await transcribeJobs(db, mediaIds))[1]);
    expect(prepared?.state).toBe('running');
    expect(prepared?.locked_by).not.toBeNull();
    const beatAt = defined(prepared?.heartbeat_at, "the prepared job's heartbeat").getTime();
    await until(
      "the prepared job's lease is renewed",
      async () => ((await testDb.use(async (db) => (await transcribeJobs(db, mediaIds))[1]))?.heartbeat_at?.getTime() ?? 0) > beatAt,
    );
    stop.abort(new Error('stopped by the test'));
    const summary = await running;
    expect(summary).toMatchObject({ stoppedBy: 'signal', claimed: 1, handedBack: 1, succeeded: 0, failed: 0 });
    const engine = defined((await stubStarts(log))[0], 'the engine start').pid;
    expect(await processAlive(engine)).toBe(false);
    expect(await readdir(work)).toEqual([]);
    await testDb.use(async (db) => {
      expect((await transcribeJobs(db, mediaIds)).map((j) => [j.state, j.attempts, j.locked_by])).toEqual([
        ['queued', 0, null],
        ['queued', 0, null],
      ]);
    });
  });

  it('leaves no scratch when the engine times out with the next batch prepared', async () => {
    const { work, log, mediaIds, transcribe } = await night('timeout', ['a.mp4', 'b.mp4'], {
      timeoutFactor: 0.001,
      minTimeoutMinutes: 0.05,
    });
    const summary = await transcribe({ STUB_ENGINE_FAIL: 'hang', STUB_ENGINE_AWAIT_AUDIO: work, STUB_ENGINE_AWAIT_RUNS: '1' });
    expect(summary).toMatchObject({ claimed: 2, failed: 2 });
    const [first] = byRun(await stubEvents(log));
    expect(scratchFolders(first?.find((e) => e.event === 'saw'))).toEqual([expect.stringMatching(/^\.archivist-scratch-/)]);
    expect(await readdir(work)).toEqual([]);
    await testDb.use(async (db) => {
      for (const job of await transcribeJobs(db, mediaIds)) expect(job.last_error).toEqual(stringContaining('was still running after'));
    });
  });
});
