import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArchivist, spawnArchivist } from '../support/cli.js';
import { copyEmbeddedTemplate } from '../support/database.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { speechVideo } from '../support/media.js';
import { until } from '../support/until.js';

/**
 * The "Done when": status during a running process-recent-vods on the embedded
 * database answers from the run's snapshot and names it, instead of waiting for the lock. The
 * engine holds the run until the test has asked, so a status that waited for the lock (120 s
 * here) could not succeed: it would time out, not answer.
 */
describe('status while a run holds the embedded database', () => {
  let dir: string;
  let state: string;
  let config: string;
  let env: Record<string, string>;
  let release: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archivist-snapshot-'));
    state = join(dir, 'state');
    await copyEmbeddedTemplate(state);
    const share = join(dir, 'flex-1');
    await mkdir(share);
    await speechVideo(share, 'Birchwood Council 2026-11-24.mp4', 'Welcome to the council.');
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(join(share, 'Birchwood Council 2026-11-24.mp4'), old, old);
    const model = join(dir, 'model.bin');
    await writeFile(model, 'stub');
    config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        sites: [{ key: 'flex1', name: 'Birchwood', share }],
        engine: { kind: 'whisper-cpp', model },
        paths: { output: join(dir, 'out'), work: join(dir, 'work') },
        database: { embeddedLockWaitSeconds: 120 },
        discovery: { settleSeconds: 60, recheckSeconds: 0 },
      }),
    );
    // The engine waits for this file, so the run still holds the database while status asks.
    release = join(dir, 'release-engine');
    env = { ARCHIVIST_STATE_DIR: state, ...stubEnv({ STUB_WHISPER_TEXT: 'Welcome to the council.', STUB_ENGINE_HOLD_FILE: release }) };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers at once from the snapshot and names the command holding the database', async () => {
    const run = spawnArchivist(['--config', config, 'process-recent-vods'], env);
    try {
      await until(
        'the run has written its snapshot',
        async () => (await readFile(join(state, 'status.json'), 'utf8').catch(() => '')) !== '',
        60_000,
      );
      const status = await runArchivist(['--config', config, 'status'], env);
      expect(status.exitCode, status.stderr).toBe(0);
      expect(status.stdout.replace(/\s+/g, ' ')).toMatch(/held by `archivist process-recent-vods` \(pid \d+ on .*\) since/);
      expect(status.stdout).toContain('Jobs');
      const json = await runArchivist(['--config', config, '--json', 'status'], env);
      expect(JSON.parse(json.stdout)).toMatchObject({ heldBy: { command: 'process-recent-vods' } });
    } finally {
      await writeFile(release, '');
      const done = await run;
      expect(done.exitCode, done.stderr).toBe(0);
    }
    // After the run: status opens the database itself, and jobs show prints a job whole.
    const after = await runArchivist(['--config', config, 'status'], env);
    expect(after.exitCode, after.stderr).toBe(0);
    expect(after.stdout).not.toContain('held by');
    expect(after.stdout.replace(/\s+/g, ' ')).toContain('Captioned in the last 24 h');
    const show = await runArchivist(['--config', config, 'jobs', 'show', '1'], env);
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^job 1: probe, succeeded/);
    expect(show.stdout).toContain('history (the recording’s jobs):');
    const snapshot = JSON.parse(await readFile(join(state, 'status.json'), 'utf8')) as { command: string; report: { jobs: unknown } };
    expect(snapshot.command).toBe('process-recent-vods');
  });
});
