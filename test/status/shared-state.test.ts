import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArchivist } from '../support/cli.js';
import { copyEmbeddedTemplate } from '../support/database.js';

interface StatusReport {
  database: { kind: string; location: string };
  lastRuns: { command: string; outcome: string }[];
}

/**
 * The service and an operator are different users with different homes; the config file they
 * both read names paths.state, so both open the one embedded database.
 */
describe('one state for the service and an operator', () => {
  let dir: string;
  let config: string;
  const service = () => ({ HOME: join(dir, 'var-lib-archivist'), STATE_DIRECTORY: join(dir, 'var-lib-archivist') });
  const operator = () => ({ HOME: join(dir, 'home-operator') });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archivist-state-'));
    await mkdir(join(dir, 'var-lib-archivist'));
    await mkdir(join(dir, 'home-operator'));
    // Both databases already made: this is about which one each user opens, not creating them.
    await copyEmbeddedTemplate(join(dir, 'var-lib-archivist'));
    await copyEmbeddedTemplate(join(dir, 'home-operator', '.local', 'state', 'archivist'));
    config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ paths: { state: join(dir, 'var-lib-archivist') } }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("status with a config naming paths.state reads that database: the service's runs", async () => {
    const run = await runArchivist(['--config', config, 'cleanup-orphaned'], service(), { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);

    const shared = await runArchivist(['--config', config, '--json', 'status'], operator(), { cwd: dir });
    expect(shared.exitCode, shared.stderr).toBe(0);
    const report = JSON.parse(shared.stdout) as StatusReport;
    expect(report.database).toMatchObject({
      kind: 'embedded',
      location: expect.stringContaining(join(dir, 'var-lib-archivist')) as unknown,
    });
    expect(report.lastRuns).toContainEqual(expect.objectContaining({ command: 'cleanup-orphaned', outcome: 'succeeded' }));

    // Without the key the operator's own ~/.local/state/archivist is a different, empty database.
    const alone = await runArchivist(['--json', 'status'], operator(), { cwd: dir });
    const own = JSON.parse(alone.stdout) as StatusReport;
    expect(own.database.location).toContain(join(dir, 'home-operator', '.local', 'state', 'archivist'));
    expect(own.lastRuns.map((r) => r.command)).not.toContain('cleanup-orphaned');
  });
});
