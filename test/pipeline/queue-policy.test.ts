import { mkdir, mkdtemp, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config/load.js';
import type { JobSettings } from '../../src/lib/config/schema.js';
import type { JobState } from '../../src/lib/db/schema.js';
import { JOB_KINDS, firstKind, nextKinds, type JobKind, type MediaSource, type PipelineSettings } from '../../src/lib/stages.js';
import { startCablecastServer, type CablecastServer, type ShowRecord } from '../support/cablecast-server.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { defined } from '../support/defined.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { speechVideo } from '../support/media.js';
import { writeShareConfig } from '../support/share-config.js';

const SPOKEN = 'The meeting is called to order.';
const SITE = 'flex3';

type Policy = Pick<JobSettings, 'maxAttempts'> & Partial<Pick<JobSettings, 'backoffBaseSeconds' | 'backoffMaxSeconds'>>;

/** Something that makes one kind's step fail in a way worth retrying (a transient error), and its end. */
interface Fault {
  arm(): Promise<void> | void;
  disarm(): Promise<void> | void;
  /** For the failing command. */
  env?: Record<string, string>;
  /** The error it makes the step record. */
  because: RegExp;
}

/**
 * Every job a recording gets carries the configured `jobs.maxAttempts`, whichever path queued it,
 * and a job that fails waits the configured backoff. Each command here gets a policy no earlier
 * command had, so a path that kept an older one, or fell back to the defaults, is caught.
 */
describe(`the queue policy reaches every job a recording gets (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let server: CablecastServer;
  let dir: string;
  let share: string;
  let env: Record<string, string>;
  let show: ShowRecord;
  let video: Buffer;
  let vodFile: string;
  let settings: PipelineSettings;

  let commands = 0;
  let failingCommands = 0;
  /**
   * A policy for the next command. For one meant to fail a job: the base above the cap, so the
   * first retry waits the cap less up to 20% jitter, where a drain that ignored the base would
   * wait the default's 60 s and one that ignored the cap the base; and each such command's cap
   * twice the last one's, so no two of their waits can be alike.
   */
  const policy = (options: { failing?: boolean } = {}): Policy => {
    commands += 1;
    if (options.failing !== true) return { maxAttempts: 10 + commands };
    failingCommands += 1;
    const cap = 60 * 2 ** failingCommands;
    return { maxAttempts: 10 + commands, backoffMaxSeconds: cap, backoffBaseSeconds: 4 * cap };
  };
  const writeConfig = (jobs: Policy | Record<string, never>, name: string): Promise<string> =>
    writeShareConfig(
      dir,
      share,
      {
        sites: [{ key: SITE, name: 'Lake Elmo', share, patterns: ['lake elmo'], location: 1 }],
        cablecast: { url: server.url },
        // Every stage of the table enabled: a Cablecast VOD's chain then has every kind.
        pipeline: { retranscode: true, upload: true },
        jobs,
      },
      name,
    );
  const run = async (jobs: Policy, args: readonly string[], extra: Record<string, string> = {}) =>
    testDb.run(['--config', await writeConfig(jobs, `config-${commands}.json`), ...args], { ...env, ...extra });
  const runOk = async (jobs: Policy, args: readonly string[]): Promise<void> => {
    const result = await run(jobs, args);
    expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  };

  const jobsOf = (mediaId: number) =>
    testDb.use((db) =>
      db
        .selectFrom('jobs')
        .select([
          'id',
          'kind',
          'state',
          'attempts',
          'max_attempts',
          'last_error',
          // The wait the queue set: failJob sets both in one statement, so this is the backoff
          // itself, however long the test took since.
          sql<number>`extract(epoch from run_after - updated_at)::float8`.as('waitSeconds'),
        ])
        .where('media_id', '=', mediaId)
        .orderBy('id')
        .execute(),
    );
  const jobOf = async (mediaId: number, kind: JobKind) =>
    defined(
      (await jobsOf(mediaId)).find((job) => job.kind === kind),
      `a ${kind} job`,
    );
  /** The one recording of this source. */
  const mediaOf = async (source: MediaSource) =>
    defined(
      await testDb.use((db) => db.selectFrom('media').select(['id', 'path']).where('source', '=', source).executeTakeFirst()),
      `a recording from ${source}`,
    );
  /**
   * The job, queued under `queuedWith`, failed once for its kind's fault in a command run under
   * `failedWith`, and waits out that policy's backoff (a first retry waits the cap here, see policy()).
   */
  const expectFailed = async (mediaId: number, kind: JobKind, { queuedWith, failedWith }: { queuedWith: Policy; failedWith: Policy }) => {
    const job = await jobOf(mediaId, kind);
    expect(job, kind).toMatchObject({ state: 'queued', attempts: 1, max_attempts: queuedWith.maxAttempts });
    expect(job.last_error, kind).toMatch(defined(faults[kind], `a fault for ${kind}`).because);
    const cap = defined(failedWith.backoffMaxSeconds, 'a backoff cap');
    expect(job.waitSeconds, kind).toBeGreaterThan(0.8 * cap);
    expect(job.waitSeconds, kind).toBeLessThanOrEqual(cap);
  };
  /** Each kind named is in that state and carries that policy's maxAttempts. */
  const expectJobs = async (mediaId: number, expected: Partial<Record<JobKind, [JobState, Policy]>>): Promise<void> => {
    const jobs = await jobsOf(mediaId);
    for (const [kind, [state, jobsPolicy]] of Object.entries(expected)) {
      expect(
        jobs.find((job) => job.kind === kind),
        kind,
      ).toMatchObject({ state, max_attempts: jobsPolicy.maxAttempts });
    }
  };

  const aside = async (): Promise<void> => {
    const { path } = await mediaOf('cablecast');
    await rename(path, `${path}.away`);
  };
  const back = async (): Promise<void> => {
    const { path } = await mediaOf('cablecast');
    await rename(`${path}.away`, path);
  };
  const damagedShow: Fault = {
    arm: () => {
      server.garble('show', show.id, { title: 42 });
    },
    disarm: () => {
      server.garble('show', show.id, {});
    },
    because: /record of show \d+ cannot be read/,
  };
  // Each kind's transient failure. A kind added to the table without one here does not compile,
  // and the first test fails on it.
  const faults: Record<JobKind, Fault> = {
    fetch: {
      arm: () => void server.state.files.delete(vodFile),
      disarm: () => void server.state.files.set(vodFile, video),
      because: /HTTP 404/,
    },
    probe: { arm: aside, disarm: back, because: /cannot open it \(ENOENT\)/ },
    transcribe: { arm: () => undefined, disarm: () => undefined, env: { STUB_ENGINE_FAIL: 'exit' }, because: /whisper-cli exited/ },
    captions: {
      arm: async () => {
        await mkdir(join(dir, 'out'), { recursive: true });
        await writeFile(join(dir, 'out', SITE), 'a file where the captions folder goes');
      },
      disarm: () => rm(join(dir, 'out', SITE)),
      because: /EEXIST/,
    },
    retranscode: { arm: aside, disarm: back, because: /ffprobe cannot read/ },
    // The upload cannot tell the show's file store, the link cannot read the show.
    upload: damagedShow,
    link: damagedShow,
  };
  /** Runs a command with `kind`'s fault in place and a policy for a failing command; returns that policy. */
  const runFailing = async (kind: JobKind, args: readonly string[]): Promise<Policy> => {
    const fault = defined(faults[kind], `a fault for ${kind}`);
    const jobs = policy({ failing: true });
    await fault.arm();
    const result = await run(jobs, args, fault.env);
    await fault.disarm();
    expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(1);
    return jobs;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startCablecastServer();
    dir = await mkdtemp(join(tmpdir(), 'archivist-policy-'));
    share = join(dir, 'flex-3');
    await mkdir(share);
    video = await readFile(await speechVideo(dir, 'source.mp4', SPOKEN));
    show = server.addShow({ title: 'Lake Elmo City Council', location: 1, eventDate: '2026-11-24T19:00:00-06:00' });
    vodFile = new URL(server.addVodFile(show.id, video).url).pathname.toLowerCase();
    env = stubEnv({ STUB_WHISPER_TEXT: SPOKEN });
    settings = await loadConfig({ file: await writeConfig({}, 'config.json'), env: testDb.env, cwd: dir });
  });
  afterAll(async () => {
    await server.close();
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("every kind of the pipeline table: queued with the policy, failed into the policy's backoff, retried with a changed one", async () => {
    // A Cablecast VOD's chain, walked through the table: it must hold every kind there is.
    const chain: JobKind[] = [];
    for (let kind: JobKind | undefined = firstKind('cablecast'); kind !== undefined; kind = nextKinds(kind, settings)[0]) chain.push(kind);
    expect(chain).toEqual(JOB_KINDS);

    let queuedWith: Policy | undefined;
    for (const kind of chain) {
      const fails = await runFailing(kind, ['process-recent-vods', '--steps', kind]);
      const { id } = await mediaOf('cablecast');
      // Queued by discovery (the first kind, in this same run) or by the step before it.
      await expectFailed(id, kind, { queuedWith: queuedWith ?? fails, failedWith: fails });
      const job = await jobOf(id, kind);

      const retryWith = policy();
      await runOk(retryWith, ['jobs', 'retry', String(job.id)]);
      expect(await jobOf(id, kind), kind).toMatchObject({
        state: 'queued',
        attempts: 0,
        max_attempts: retryWith.maxAttempts,
        waitSeconds: 0,
      });

      const succeeds = policy();
      await runOk(succeeds, ['process-recent-vods', '--steps', kind]);
      expect(await jobOf(id, kind), kind).toMatchObject({ state: 'succeeded', max_attempts: retryWith.maxAttempts });
      for (const next of nextKinds(kind, settings)) {
        expect(await jobOf(id, next), `${next} after ${kind}`).toMatchObject({
          state: 'queued',
          attempts: 0,
          max_attempts: succeeds.maxAttempts,
          waitSeconds: 0,
        });
      }
      queuedWith = succeeds;
    }
    const { id } = await mediaOf('cablecast');
    expect((await jobsOf(id)).map((job) => [job.kind, job.state])).toEqual(chain.map((kind) => [kind, 'succeeded']));
  });

  it('the commands that queue jobs themselves: share discovery, a changed file, transcribe, transcribe --force, retranscode, upload, link-queue', async () => {
    // The first test's VOD, every step of it done, is here too.
    const vod = await mediaOf('cablecast');

    // A new recording on the share: discovery queues its first step; a change to it queues that again.
    const onShare = join(share, 'Lake Elmo Planning Commission.mp4');
    await writeFile(onShare, video);
    const discovered = policy();
    await runOk(discovered, ['process-recent-vods', '--steps', firstKind('share')]);
    const shareMedia = (await mediaOf('share')).id;
    await expectJobs(shareMedia, { probe: ['succeeded', discovered], transcribe: ['queued', discovered] });
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(onShare, hourAgo, hourAgo);
    const changed = policy();
    await runOk(changed, ['process-recent-vods', '--steps', firstKind('share')]);
    await expectJobs(shareMedia, { probe: ['succeeded', changed], transcribe: ['queued', changed] });

    // `transcribe` with no files drains the queued transcriptions, and each queues its captions.
    const drained = policy();
    await runOk(drained, ['transcribe']);
    await expectJobs(shareMedia, { transcribe: ['succeeded', changed], captions: ['queued', drained] });

    // A file named on the command line: its chain up to the captions runs; the steps after wait.
    const loose = join(dir, 'loose');
    await mkdir(loose);
    const given = join(loose, 'Planning Board.mp4');
    await writeFile(given, video);
    const transcribed = policy();
    await runOk(transcribed, ['transcribe', given]);
    const file = (await mediaOf('file')).id;
    await expectJobs(file, {
      probe: ['succeeded', transcribed],
      transcribe: ['succeeded', transcribed],
      captions: ['succeeded', transcribed],
      retranscode: ['queued', transcribed],
    });

    // `transcribe --force` on a known recording queues its chain again: failing, then not.
    const forceFails = await runFailing('transcribe', ['transcribe', '--force', vod.path]);
    await expectFailed(vod.id, 'transcribe', { queuedWith: forceFails, failedWith: forceFails });
    const forced = policy();
    await runOk(forced, ['transcribe', '--force', vod.path]);
    await expectJobs(vod.id, {
      probe: ['succeeded', forced],
      transcribe: ['succeeded', forced],
      captions: ['succeeded', forced],
      retranscode: ['queued', forced],
    });

    // `retranscode ITEM` queues the step for that recording and runs it; without items it drains the queue.
    const renditionFails = await runFailing('retranscode', ['retranscode', String(vod.id)]);
    await expectFailed(vod.id, 'retranscode', { queuedWith: renditionFails, failedWith: renditionFails });
    const rendered = policy();
    await runOk(rendered, ['retranscode', String(vod.id)]);
    await expectJobs(vod.id, { retranscode: ['succeeded', rendered], upload: ['queued', rendered] });
    const renditions = policy();
    await runOk(renditions, ['retranscode']);
    await expectJobs(file, { retranscode: ['succeeded', transcribed], upload: ['queued', renditions] });

    // `upload ITEM` likewise.
    const uploadFails = await runFailing('upload', ['upload', String(vod.id)]);
    await expectFailed(vod.id, 'upload', { queuedWith: uploadFails, failedWith: uploadFails });
    const uploaded = policy();
    await runOk(uploaded, ['upload', String(vod.id)]);
    await expectJobs(vod.id, { upload: ['succeeded', uploaded], link: ['queued', uploaded] });

    // A link made by hand, and the links link-queue finds due (here: a transcript that never had one).
    const byHand = policy();
    await runOk(byHand, ['link-queue', '--link', `media:${vod.id}`, '--show', String(show.id)]);
    await expectJobs(vod.id, { link: ['succeeded', byHand] });
    const due = policy();
    await runOk(due, ['link-queue']);
    await expectJobs(file, { link: ['succeeded', due] });
  });
});
