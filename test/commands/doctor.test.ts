import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { STUB_BIN } from '../support/engines/stub-engines.js';

interface Report {
  checks: { name: string; status: string; where: string; detail: string }[];
}

/** Issue 13's "Done when" for doctor: it checks what breaks a night, and names each failed check. */
describe(`doctor (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let strict: CablecastServer;
  let lenient: CablecastServer;
  let dir: string;
  let share: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // One station refuses every anonymous request; the other answers reads to anyone.
    strict = await startCablecastServer({ username: 'archivist', password: 's3cret', requireAuth: 'all' });
    lenient = await startCablecastServer({ username: 'archivist', password: 's3cret' });
    dir = await mkdtemp(join(tmpdir(), 'archivist-doctor-'));
    share = join(dir, 'flex-1');
    await mkdir(share);
    await writeFile(join(dir, 'ggml-base.en.bin'), 'stub model');
    // A file where a folder is expected: no one, root included, can create files under it.
    await writeFile(join(dir, 'a-file'), 'not a folder');
    env = { ...testDb.env, PATH: `${STUB_BIN}:${process.env.PATH ?? ''}`, CABLECAST_PASSWORD: 's3cret' };
  });
  afterAll(async () => {
    await strict.close();
    await lenient.close();
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function doctor(
    settings: { cablecast?: string; output?: string; requireMount?: boolean; share?: string },
    extra: Record<string, string> = {},
  ) {
    const config = join(dir, `config-${Math.random().toString(16).slice(2)}.json`);
    await writeFile(
      config,
      JSON.stringify({
        sites: [{ key: 'flex1', name: 'Birchwood', share: settings.share ?? share, requireMount: settings.requireMount }],
        engine: { kind: 'whisper-cpp', model: join(dir, 'ggml-base.en.bin') },
        cablecast: { url: settings.cablecast ?? strict.url, username: 'archivist', retries: 0 },
        paths: { work: join(dir, 'work'), output: settings.output ?? join(dir, 'out') },
      }),
    );
    const result = await testDb.run(['--config', config, '--json', 'doctor'], { ...env, ...extra });
    const report = JSON.parse(result.stdout) as Report;
    const status = new Map(report.checks.map((c) => [c.name, c]));
    return { ...result, report, status };
  }

  it('passes on a working setup: tools, the engine run with -h, the model, database, Cablecast and its credentials', async () => {
    const result = await doctor({});
    expect(result.exitCode, result.stderr).toBe(0);
    for (const name of ['ffmpeg', 'ffprobe', 'engine whisper-cpp', 'model', 'database', 'cablecast', 'paths.work', 'paths.output']) {
      expect(result.status.get(name)?.status, name).toBe('ok');
    }
    expect(result.status.get('ffmpeg')?.detail).toMatch(/^ffmpeg version /);
    expect(result.status.get('cablecast credentials')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('accepted for user archivist') as unknown,
    });
    // A temp folder is no mount point: a warning, which does not fail doctor.
    expect(result.status.get('share flex1')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('not a mount point') as unknown,
    });
  });

  it('with a wrong password exits non-zero naming the credentials', async () => {
    const result = await doctor({}, { CABLECAST_PASSWORD: 'wrong' });
    expect(result.exitCode).toBe(2);
    expect(result.status.get('cablecast credentials')).toMatchObject({ status: 'fail' });
    expect(result.stderr).toContain('archivist: 1 check failed: cablecast credentials');
    expect(result.stderr).toContain(
      'Cablecast refused the credentials of user archivist (HTTP 401): check cablecast.username and cablecast.password',
    );
  });

  it('says it cannot tell when the server answers reads with or without credentials', async () => {
    const result = await doctor({ cablecast: lenient.url }, { CABLECAST_PASSWORD: 'wrong-or-right' });
    // The lenient server refuses a wrong password on any request, as IIS does: only the right one gets this far.
    expect(result.status.get('cablecast credentials')?.status).toBe('fail');
    const right = await doctor({ cablecast: lenient.url });
    expect(right.exitCode, right.stderr).toBe(0);
    expect(right.status.get('cablecast credentials')).toMatchObject({
      status: 'unknown',
      detail: expect.stringMatching(/^cannot tell/) as unknown,
    });
  });

  it('with an unwritable output folder exits non-zero naming the folder', async () => {
    const output = join(dir, 'a-file', 'out');
    const result = await doctor({ output });
    expect(result.exitCode).toBe(2);
    expect(result.status.get('paths.output')).toMatchObject({ status: 'fail', where: output });
    expect(result.stderr).toContain('archivist: 1 check failed: paths.output');
    expect(result.stderr).toContain(`paths.output (${output}): not writable: a part of the path is a file, not a folder`);
  });

  it('fails a missing share, and a share not mounted when sites[].requireMount says it must be', async () => {
    const missing = await doctor({ share: join(dir, 'not-mounted') });
    expect(missing.exitCode).toBe(3);
    expect(missing.status.get('share flex1')).toMatchObject({ status: 'fail', detail: 'does not exist (not mounted?)' });
    const required = await doctor({ requireMount: true });
    expect(required.exitCode).toBe(3);
    expect(required.stderr).toContain(`share flex1 (${share}): readable, 0 entries; not a mount point`);
  });

  it('fails Cablecast not answering, naming it', async () => {
    const result = await doctor({ cablecast: 'http://127.0.0.1:9/CablecastAPI/v1' });
    expect(result.exitCode).toBe(3);
    expect(result.status.get('cablecast')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('cannot reach Cablecast') as unknown,
    });
    expect(result.stderr).toContain('check failed: cablecast');
  });
});
