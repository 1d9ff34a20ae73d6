import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireEmbeddedLock } from '../../src/lib/db/embedded-lock.js';
import { VERSION } from '../../src/version.js';
import { REPO, runArchivist, spawnArchivist } from '../support/cli.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { defined } from '../support/defined.js';

describe(`archivist CLI foundation (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-cli-'));
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('status --json works on a fresh database and records the run', async () => {
    const result = await testDb.run(['status', '--json'], {});
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as {
      database: { kind: string };
      jobs: Record<string, Record<string, number>>;
      lastRuns: { command: string; outcome: string }[];
    };
    expect(report.database.kind).toBe(TEST_DB_KIND === 'postgres' ? 'postgres' : 'embedded');
    expect(report.jobs.transcribe).toEqual({ queued: 0, running: 0, succeeded: 0, dead: 0, cancelled: 0 });
    expect(report.lastRuns).toEqual([expect.objectContaining({ command: 'status', outcome: 'running' })]);

    const again = JSON.parse((await testDb.run(['status', '--json'], {})).stdout) as typeof report;
    expect(again.lastRuns).toEqual([expect.objectContaining({ command: 'status', outcome: 'running' })]);
    await testDb.use(async (db) => {
      const runs = await db.selectFrom('runs').select(['command', 'outcome', 'exit_code']).orderBy('id').execute();
      expect(runs).toEqual([
        { command: 'status', outcome: 'succeeded', exit_code: 0 },
        { command: 'status', outcome: 'succeeded', exit_code: 0 },
      ]);
    });
  });

  it('lists, retries and cancels jobs by id', async () => {
    const ids = await testDb.use(async (db) => {
      const media = await db
        .insertInto('media')
        .values({ site: 'files', path: '/srv/a.mp4', source: 'file' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const dead = await db
        .insertInto('jobs')
        .values({ media_id: media.id, kind: 'transcribe', state: 'dead', attempts: 5, last_error: 'engine exploded' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const queued = await db.insertInto('jobs').values({ media_id: media.id, kind: 'captions' }).returning('id').executeTakeFirstOrThrow();
      return { dead: dead.id, queued: queued.id };
    });
    const list = await testDb.run(['jobs', 'list', '--state', 'dead', '--json'], {});
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ id: ids.dead, kind: 'transcribe', last_error: 'engine exploded', path: '/srv/a.mp4' }),
    ]);
    expect((await testDb.run(['jobs', 'retry', String(ids.dead)], {})).exitCode).toBe(0);
    expect((await testDb.run(['jobs', 'cancel', String(ids.queued)], {})).exitCode).toBe(0);
    const missing = await testDb.run(['jobs', 'cancel', '99999'], {});
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('job 99999 does not exist or has already finished');
    const bad = await testDb.run(['jobs', 'retry', 'abc'], {});
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('expected a positive whole number, got "abc"');
    await testDb.use(async (db) => {
      const jobs = await db.selectFrom('jobs').select(['id', 'state', 'attempts']).orderBy('id').execute();
      expect(jobs).toEqual([
        { id: ids.dead, state: 'queued', attempts: 0 },
        { id: ids.queued, state: 'cancelled', attempts: 0 },
      ]);
    });
  });

  it("cancels every queued job of a kind, optionally one site's, and leaves running and other jobs alone", async () => {
    const ids = await testDb.use(async (db) => {
      const media = await db
        .insertInto('media')
        .values([
          { site: 'flex1', path: '/mnt/flex-1/a.mp4', source: 'share' },
          { site: 'flex8', path: '/mnt/flex-8/b.mp4', source: 'share' },
          { site: 'flex8', path: '/mnt/flex-8/c.mp4', source: 'share' },
        ])
        .returning('id')
        .execute();
      const [a, b, c] = media.map((m) => m.id);
      const job = async (media_id: number, kind: 'upload' | 'link', state: 'queued' | 'running' = 'queued') =>
        (await db.insertInto('jobs').values({ media_id, kind, state }).returning('id').executeTakeFirstOrThrow()).id;
      return {
        uploadA: await job(defined(a, 'flex1 media'), 'upload'),
        uploadB: await job(defined(b, 'flex8 media'), 'upload'),
        runningUploadB: await job(defined(c, 'second flex8 media'), 'upload', 'running'),
        linkA: await job(defined(a, 'flex1 media'), 'link'),
      };
    });
    const state = (id: number) =>
      testDb.use(async (db) => (await db.selectFrom('jobs').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state);

    const bySite = await testDb.run(['jobs', 'cancel', '--kind', 'upload', '--site', 'flex8'], {});
    expect(bySite.stdout).toBe('cancelled 1 queued upload job of site flex8\n');
    expect(bySite.exitCode).toBe(0);
    expect([await state(ids.uploadA), await state(ids.uploadB), await state(ids.runningUploadB)]).toEqual([
      'queued',
      'cancelled',
      'running',
    ]);

    const all = await testDb.run(['--json', 'jobs', 'cancel', '--kind', 'upload'], {});
    expect(JSON.parse(all.stdout)).toEqual({ kind: 'upload', site: null, cancelled: [ids.uploadA] });
    expect([await state(ids.runningUploadB), await state(ids.linkA)]).toEqual(['running', 'queued']);
    expect((await testDb.run(['jobs', 'cancel', '--kind', 'upload'], {})).stdout).toBe('no queued upload jobs to cancel\n');

    const siteAlone = await testDb.run(['jobs', 'cancel', '--site', 'flex8'], {});
    expect(siteAlone.exitCode).toBe(2);
    expect(siteAlone.stderr).toContain('--site needs --kind');
    expect((await testDb.run(['jobs', 'cancel'], {})).exitCode).toBe(2);
    expect((await testDb.run(['jobs', 'cancel', String(ids.linkA), '--kind', 'link'], {})).exitCode).toBe(2);
    expect((await testDb.run(['jobs', 'cancel', '--kind', 'nonsense'], {})).exitCode).toBe(2);
    expect(await state(ids.linkA)).toBe('queued');
  });

  it('lists every command with the global options, and each command has an example', async () => {
    const help = await testDb.run(['--help'], {});
    expect(help.exitCode).toBe(0);
    for (const command of ['process-recent-vods', 'transcribe', 'retranscode', 'upload', 'link-queue', 'cleanup-orphaned', 'status']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
      const sub = await testDb.run([command, '--help'], {});
      expect(sub.exitCode).toBe(0);
      expect(sub.stdout).toContain('Example');
    }
    for (const option of ['--config <file>', '--json', '--log-level <level>']) expect(help.stdout).toContain(option);
  });

  it('names each bad field of a config file and exits 2', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        sites: [{ key: 'flex1', name: 'Birchwood', share: 17 }],
        cablecast: { url: 'not a url' },
        jobs: { concurrency: 0 },
      }),
    );
    const result = await testDb.run(['--config', file, 'status'], {});
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`invalid configuration in ${file}`);
    expect(result.stderr).toContain('sites[0].share: expected a string, got number');
    expect(result.stderr).toContain('cablecast.url:');
    expect(result.stderr).toContain('jobs.concurrency:');
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a config file that is not JSON, and on an unknown option', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ "sites": [ }');
    const broken = await testDb.run(['--config', file, 'status'], {});
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toContain(`config file ${file} is not valid JSON`);
    const unknown = await testDb.run(['status', '--no-such-option'], {});
    expect(unknown.exitCode).toBe(2);
  });

  it('exits 3 with a clear message when the database cannot be reached', async () => {
    const result = await runArchivist(['status'], {
      DATABASE_URL: 'postgres://archivist:secret@127.0.0.1:1/nowhere',
      ARCHIVIST_STATE_DIR: dir,
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('cannot connect to the database at postgres://archivist:redacted@127.0.0.1:1/nowhere');
    expect(result.stderr).not.toContain('secret');
  });

  it('makes a second process wait for the embedded database, then exit 3 recommending DATABASE_URL', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'archivist-lock-'));
    const config = join(stateDir, 'config.json');
    await writeFile(config, JSON.stringify({ database: { embeddedLockWaitSeconds: 1 } }));
    // A live process (this test) holds the lock, as a long nightly run would.
    const lock = await acquireEmbeddedLock(join(stateDir, 'pglite.lock'), 0);
    try {
      const result = await spawnArchivist(['--config', config, 'status'], { ARCHIVIST_STATE_DIR: stateDir });
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain(`in use by another archivist process (pid ${process.pid})`);
      expect(result.stderr).toContain('DATABASE_URL');
    } finally {
      await lock.release();
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('the built bin prints its version and passes the exit code of a command to the process', async () => {
    const version = await spawnArchivist(['--version'], {}, { bin: 'built' });
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
    const unknown = await spawnArchivist(['no-such-command'], {}, { bin: 'built' });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'no-such-command'");
  });

  it('keeps --version in step with package.json', async () => {
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
