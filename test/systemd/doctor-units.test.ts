import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWritePathsOf } from '../../src/lib/doctor/check-units.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { runSystemdCommand, tempDir, writeExecutable } from './helpers.js';

interface DoctorReport {
  units: { ok: boolean; installed: boolean; where: string; detail: string };
}

describe(`doctor: the installed units can write where the config points (${TEST_DB_KIND})`, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let testDb: TestDatabase;
  let units: string;
  let config: string;
  const writeConfig = (output: string) =>
    writeFile(config, JSON.stringify({ sites: [{ key: 'flex1', name: 'Birchwood', share: '/mnt/flex-1' }], paths: { output, state: '/var/lib/archivist' } }));
  const doctor = async () => {
    const result = await testDb.run(['--config', config, '--json', 'doctor', '--units', units], { HOME: dir.path });
    return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as DoctorReport };
  };

  beforeAll(async () => {
    dir = await tempDir();
    testDb = await createTestDatabase();
    units = join(dir.path, 'units');
    await mkdir(units);
    config = join(dir.path, 'config.json');
    const bin = join(dir.path, 'archivist');
    await writeExecutable(bin, '#!/bin/sh\n');
    await writeConfig('/srv/captions');
    const installed = await runSystemdCommand(['--config', config, 'install', '--prefix', units, '--bin', bin], dir.path);
    expect(installed.exitCode, installed.stderr).toBe(0);
  });
  afterAll(async () => {
    await testDb.drop();
    await dir.remove();
  });

  it('passes while the config matches what was installed', async () => {
    const { report } = await doctor();
    expect(report.units).toMatchObject({ ok: true, installed: true, where: units });
  });

  it('fails naming the unit and the path once the config points elsewhere, and exits non-zero', async () => {
    await writeConfig('/srv/elsewhere');
    const { exitCode, report } = await doctor();
    expect(exitCode).not.toBe(0);
    expect(report.units.ok).toBe(false);
    expect(report.units.detail).toContain('archivist-process-recent-vods.service cannot write paths.output /srv/elsewhere');
    expect(report.units.detail).toContain('archivist-cleanup-orphaned.service cannot write paths.output /srv/elsewhere');
    expect(report.units.detail).not.toContain('link-queue');
    expect(report.units.detail).toContain('run archivist systemd install again');
  });

  it('says so when no units are installed, without failing the check', async () => {
    const empty = join(dir.path, 'none');
    await mkdir(empty);
    const result = await testDb.run(['--config', config, '--json', 'doctor', '--units', empty], { HOME: dir.path });
    expect((JSON.parse(result.stdout) as DoctorReport).units).toMatchObject({ ok: true, installed: false });
  });

  it('reads every ReadWritePaths= line, with or without "-"', () => {
    expect(readWritePathsOf('[Service]\nReadWritePaths=-/mnt/a /srv/b\n# ReadWritePaths=/no\nReadWritePaths=/srv/c\n')).toEqual(['/mnt/a', '/srv/b', '/srv/c']);
  });
});
