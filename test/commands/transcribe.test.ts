import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/db/schema.js';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { configSchema } from '../../src/lib/config/schema.js';
import { kindsToCaptions, nextKinds } from '../../src/lib/stages.js';
import { spawnArchivist } from '../support/cli.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { STUB_BIN, processAlive, stubEnv, stubStarts } from '../support/engines/stub-engines.js';
import { speechVideo, videoWithoutAudio } from '../support/media.js';
import { stringContaining } from '../support/matchers.js';
import { until } from '../support/until.js';
import { defined } from '../support/defined.js';

const SPOKEN = 'The meeting is called to order. Please rise for the pledge.';

function transcribeJobOf(db: Kysely<Database>, path: string) {
  return db
    .selectFrom('jobs')
    .innerJoin('media', 'media.id', 'jobs.media_id')
    .select(['jobs.state', 'jobs.last_error', 'jobs.locked_by'])
    .where('media.path', '=', path)
    .where('jobs.kind', '=', 'transcribe')
    .executeTakeFirstOrThrow();
}

describe(`archivist transcribe (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let config: string;
  /** The same speech three times: council.mp4, a name that needs quoting, parks.mp4. */
  let videos: [string, string, string];
  let env: Record<string, string>;
  const log = () => join(dir, 'engine.log');

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-transcribe-'));
    const first = await speechVideo(dir, 'council.mp4', SPOKEN);
    const copy = async (name: string): Promise<string> => {
      const path = join(dir, name);
      await writeFile(path, await readFile(first));
      return path;
    };
    videos = [first, await copy("planning 'special': session.mp4"), await copy('parks.mp4')];
    const model = join(dir, 'ggml-base.en.bin');
    await writeFile(model, 'stub model');
    config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        engine: { kind: 'whisper-cpp', model, batchSize: 4 },
        paths: { work: join(dir, 'work') },
        captions: { formats: ['srt'] },
      }),
    );
    env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: SPOKEN, STUB_ENGINE_LOG: log() }) };
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 3 when the engine is not installed, handing the job back untouched', async () => {
    const result = await testDb.run(
      ['--config', config, 'transcribe', videos[0], '--engine-command', join(dir, 'no-such-whisper-cli')],
      env,
    );
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('no-such-whisper-cli');
    await testDb.use(async (db) => {
      const job = await db.selectFrom('jobs').select(['state', 'attempts']).where('kind', '=', 'transcribe').executeTakeFirstOrThrow();
      expect(job).toEqual({ state: 'queued', attempts: 0 });
    });
  });

  it('transcribes three files with one engine start and writes captions beside each', async () => {
    const result = await testDb.run(['--config', config, 'transcribe', ...videos], env);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(await stubStarts(log())).toHaveLength(1);
    for (const video of videos) {
      const scc = await readFile(video.replace(/\.mp4$/, '.scc'), 'utf8');
      const decoded = decodeScc(scc);
      expect(decoded.problems).toEqual([]);
      expect(decoded.captions.map((c) => c.lines.join(' ')).join(' ')).toBe(SPOKEN);
      await stat(video.replace(/\.mp4$/, '.srt'));
    }
  });

  it('does not transcribe an unchanged file again unless forced', async () => {
    const again = await testDb.run(['--config', config, 'transcribe', videos[0]], env);
    expect(again.exitCode).toBe(0);
    expect(await stubStarts(log())).toHaveLength(1);
    const forced = await testDb.run(['--config', config, 'transcribe', videos[0], '--force'], env);
    expect(forced.exitCode).toBe(0);
    expect(await stubStarts(log())).toHaveLength(2);
  });

  it('never overwrites a caption file it did not write', async () => {
    const out = join(dir, 'elsewhere');
    await rm(out, { recursive: true, force: true });
    const theirs = join(out, 'council.scc');
    await testDb.run(['--config', config, 'transcribe', videos[0], '--out', out], env);
    const ours = await readFile(theirs, 'utf8');
    await writeFile(theirs, 'a vendor made this\n');
    const result = await testDb.run(['--config', config, '--json', 'transcribe', videos[0], '--out', out, '--force'], env);
    expect(result.exitCode).toBe(0);
    expect(await readFile(theirs, 'utf8')).toBe('a vendor made this\n');
    expect(result.stdout).toContain('the file was changed by someone since Archivist wrote it');
    expect(ours).toContain('Scenarist_SCC V1.0');

    const foreign = join(out, 'parks.scc');
    await writeFile(foreign, 'made by hand\n');
    const beside = await testDb.run(['--config', config, '--json', 'transcribe', videos[2], '--out', out], env);
    expect(beside.exitCode).toBe(0);
    expect(await readFile(foreign, 'utf8')).toBe('made by hand\n');
    expect(beside.stdout).toContain('a file Archivist did not write is already there');
  });

  it('fails a file without audio for good with a clear reason, and exits 1', async () => {
    const silent = await videoWithoutAudio(dir, 'no-audio.mp4');
    const result = await testDb.run(['--config', config, '--json', 'transcribe', silent], env);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { media: { steps: { kind: string; state: string; error: string | null }[] }[] };
    expect(report.media[0]?.steps).toEqual([
      expect.objectContaining({ kind: 'probe', state: 'dead', error: stringContaining('no audio') }),
    ]);
  });

  it('records the tail of stderr when the engine fails, and retries later', async () => {
    const result = await testDb.run(['--config', config, '--json', 'transcribe', videos[1], '--force'], {
      ...env,
      STUB_ENGINE_FAIL: 'exit',
    });
    expect(result.exitCode).toBe(1);
    await testDb.use(async (db) => {
      const job = await transcribeJobOf(db, videos[1]);
      expect(job.state).toBe('queued');
      expect(job.last_error).toMatch(/whisper-cli exited with status \d+: .+/);
    });
  });

  it("on SIGTERM ends the hung engine's process group, hands the job back and exits 143", async () => {
    const hangLog = join(dir, 'hang.log');
    // A real process: this is about the signal and the process group.
    await testDb.release();
    const child = spawnArchivist(['--config', config, 'transcribe', videos[2], '--force'], {
      ...env,
      STUB_ENGINE_FAIL: 'hang',
      STUB_ENGINE_LOG: hangLog,
    });
    let engine: number | undefined;
    await until('the engine has started', async () => (engine = (await stubStarts(hangLog))[0]?.pid) !== undefined, 60_000);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(143);
    expect(await processAlive(defined(engine, 'the engine pid'))).toBe(false);
    await testDb.use(async (db) => {
      const job = await transcribeJobOf(db, videos[2]);
      expect(job).toMatchObject({ state: 'queued', locked_by: null });
      const run = await db.selectFrom('runs').select(['outcome', 'exit_code']).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(run).toEqual({ outcome: 'interrupted', exit_code: 143 });
    });
  });

  it('refuses a missing file before changing anything (exit 2)', async () => {
    const result = await testDb.run(['--config', config, 'transcribe', join(dir, 'nope.mp4'), videos[0]], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${join(dir, 'nope.mp4')}: no such file`);
  });

  it("runs a file's chain through captions, as the pipeline table has it, and leaves what follows queued", async () => {
    const settings = {
      engine: { kind: 'whisper-cpp', model: join(dir, 'ggml-base.en.bin') },
      paths: { work: join(dir, 'work') },
      captions: { formats: ['srt'] },
      pipeline: { retranscode: true },
    };
    const withRenditions = join(dir, 'renditions.json');
    await writeFile(withRenditions, JSON.stringify(settings));
    const video = join(dir, 'budget.mp4');
    await writeFile(video, await readFile(videos[0]));
    const result = await testDb.run(['--config', withRenditions, 'transcribe', video], env);
    expect(result.exitCode).toBe(0);

    const parsed = configSchema.parse(settings);
    // Renditions on: a stage follows captions, so leaving it to the nightly run is seen.
    const after = nextKinds('captions', parsed);
    expect(after).toEqual(['retranscode']);
    const jobs = await testDb.use((db) =>
      db
        .selectFrom('jobs')
        .innerJoin('media', 'media.id', 'jobs.media_id')
        .select(['jobs.kind', 'jobs.state'])
        .where('media.path', '=', video)
        // Each job queues the next: in id order they are in chain order.
        .orderBy('jobs.id')
        .execute(),
    );
    const ran = jobs.filter((j) => j.state === 'succeeded').map((j) => j.kind);
    expect(ran).toEqual(kindsToCaptions('file', parsed));
    expect(jobs.filter((j) => j.state !== 'succeeded')).toEqual(after.map((kind) => ({ kind, state: 'queued' })));
  });

  it('is what doctor finds: the stub engine, ffmpeg and the database', async () => {
    const ok = await testDb.run(['--config', config, 'doctor', '--json'], { ...env, PATH: `${STUB_BIN}:${process.env.PATH ?? ''}` });
    expect(ok.exitCode).toBe(0);
    const missing = await testDb.run(['--config', config, 'doctor'], { ...testDb.env, PATH: '/usr/bin:/bin' });
    expect(missing.exitCode).toBe(3);
    expect(missing.stdout).toContain('FAIL');
    expect(missing.stderr).toContain('engine whisper-cpp');
  });
});
