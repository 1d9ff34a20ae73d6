import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/lib/cli/run-command.js';
import { Capture, REPO, cliEnv } from '../support/cli.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';

const PASSWORD = 'Zq9-cablecast-pw';
const DB_PASSWORD = 'Db7-secret-pw';
const TITLE = '\u001b]0;owned\u0007';
const RED = '\u001b[31m';

/** Anything a terminal acts on rather than shows (a line feed between lines is fine). */
function actsOnTerminal(text: string): string[] {
  return Array.from(text).filter((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code <= 0x1f && char !== '\n') || (code >= 0x7f && code <= 0x9f);
  });
}

describe(`what a command prints (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-output-'));
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function run(work: Parameters<typeof runCommand>[3]) {
    const stdout = new Capture();
    const stderr = new Capture();
    const env = cliEnv({
      ARCHIVIST_STATE_DIR: dir,
      CABLECAST_URL: 'https://cablecast.example',
      CABLECAST_PASSWORD: PASSWORD,
      // Never connected to: the commands below do not open the database.
      DATABASE_URL: `postgres://archivist:${DB_PASSWORD}@127.0.0.1:1/archivist`,
      ARCHIVIST_LOG_LEVEL: 'info',
    });
    const exitCode = await runCommand({ stdout, stderr, env, cwd: REPO, signal: new AbortController().signal }, 'test', {}, work, {
      record: false,
    });
    return { exitCode, stdout: stdout.text, stderr: stderr.text };
  }

  it('shows an error message with its controls replaced and the configured passwords hidden', async () => {
    const result = await run(() => {
      throw new Error(`cannot read ${TITLE}${RED}Council.mp4 (tried ${PASSWORD}, then ${DB_PASSWORD})`);
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('cannot read ␛]0;owned␇␛[31mCouncil.mp4');
    expect(actsOnTerminal(result.stderr)).toEqual([]);
    expect(result.stderr).not.toContain(PASSWORD);
    expect(result.stderr).not.toContain(DB_PASSWORD);
  });

  it('hides the configured passwords in log lines and warnings wherever they appear', async () => {
    const result = await run((ctx) => {
      ctx.log.warn({ detail: { note: `said ${PASSWORD}` } }, `the server said ${DB_PASSWORD}`);
      ctx.warn(`left ${TITLE}Council.scc alone (${PASSWORD})`);
      return Promise.resolve(0);
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('[redacted]');
    expect(result.stderr).not.toContain(PASSWORD);
    expect(result.stderr).not.toContain(DB_PASSWORD);
    expect(actsOnTerminal(result.stderr)).toEqual([]);
  });

  it('prints --json with every control escaped, parsing to the same value', async () => {
    const value = { path: `Council \u009b2J ${TITLE}.mp4`, del: '\u007f' };
    const result = await run((ctx) => {
      ctx.printJson(value);
      return Promise.resolve(0);
    });
    expect(actsOnTerminal(result.stdout)).toEqual([]);
    expect(JSON.parse(result.stdout)).toEqual(value);
  });

  it('doctor and the dry-run plan show hostile configured names as text', async () => {
    const config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        sites: [{ key: 'flex1', name: 'Birchwood', share: join(dir, `flex${RED}1${TITLE}`) }],
        engine: { kind: 'whisper-cpp', command: join(dir, `whisper${TITLE}cli`), model: join(dir, `model${RED}.bin`) },
      }),
    );
    const doctor = await testDb.run(['--config', config, 'doctor'], {});
    expect(doctor.stdout).toContain('whisper␛]0;owned␇');
    expect(actsOnTerminal(doctor.stdout)).toEqual([]);
    const plan = await testDb.run(['--config', config, 'process-recent-vods', '--dry-run'], {});
    expect(plan.stdout).toContain('flex␛[31m1');
    expect(actsOnTerminal(plan.stdout)).toEqual([]);
    expect(actsOnTerminal(plan.stderr)).toEqual([]);
  });
});
