import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/lib/errors.js';
import { applyInstall, checkExecutable, formatDryRun, planInstall, systemctlCommands } from '../../src/lib/systemd/install.js';
import { renderUnits } from '../../src/lib/systemd/render-units.js';
import { DEFAULT_UNIT_OPTIONS, resolveUnitOptions } from '../../src/lib/systemd/unit-options.js';
import { tempDir, writeExecutable } from './helpers.js';

const files = renderUnits(DEFAULT_UNIT_OPTIONS);

async function rejection(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('install', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('creates every file, readable by all, and leaves no temp files behind', async () => {
    const plan = await planInstall(files, dir.path, false);
    expect(plan.map((p) => p.action)).toEqual(files.map(() => 'create'));
    await applyInstall(plan);
    expect((await readdir(dir.path)).sort()).toEqual(files.map((f) => f.name).sort());
    for (const file of files) {
      const path = join(dir.path, file.name);
      expect(await readFile(path, 'utf8')).toBe(file.text);
      expect((await stat(path)).mode & 0o777).toBe(0o644);
    }
  });

  it('leaves identical files alone and replaces its own older files', async () => {
    await applyInstall(await planInstall(files, dir.path, false));
    expect((await planInstall(files, dir.path, false)).map((p) => p.action)).toEqual(files.map(() => 'unchanged'));

    const moved = renderUnits(resolveUnitOptions({ bin: '/opt/archivist/bin/archivist' }));
    const plan = await planInstall(moved, dir.path, false);
    expect(new Set(plan.map((p) => p.action))).toEqual(new Set(['update', 'unchanged']));
    await applyInstall(plan);
    const service = await readFile(join(dir.path, 'archivist-link-queue.service'), 'utf8');
    expect(service).toContain('ExecStart=/opt/archivist/bin/archivist link-queue\n');
  });

  it('refuses to replace a file it did not write, writing nothing at all, unless forced', async () => {
    const foreign = join(dir.path, 'archivist-link-queue.timer');
    await writeFile(foreign, '[Timer]\nOnCalendar=hourly\n');
    const error = await rejection(planInstall(files, dir.path, false));
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([`${foreign}: exists, differs and was not written by archivist (use --force to replace it)`]);
    expect(await readdir(dir.path)).toEqual(['archivist-link-queue.timer']);

    const plan = await planInstall(files, dir.path, true);
    expect(plan.find((p) => p.path === foreign)?.action).toBe('overwrite');
    await applyInstall(plan);
    expect(await readFile(foreign, 'utf8')).toBe(files.find((f) => f.name === 'archivist-link-queue.timer')?.text);
  });

  it('treats a masked unit (a link to /dev/null) as not ours', async () => {
    await symlink('/dev/null', join(dir.path, 'archivist-process-recent-vods.timer'));
    const error = await rejection(planInstall(files, dir.path, false));
    expect(error.problems).toHaveLength(1);
  });

  it('never clobbers a file that appears between planning and writing', async () => {
    const plan = await planInstall(files, dir.path, false);
    const late = join(dir.path, 'archivist-cleanup-orphaned.service');
    await writeFile(late, 'someone else\n');
    await expect(applyInstall(plan)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(late, 'utf8')).toBe('someone else\n');
  });

  it('requires the prefix to be an existing directory', async () => {
    const error = await rejection(planInstall(files, join(dir.path, 'missing'), false));
    expect(error.problems[0]).toMatch(/does not exist or is not a directory/);
  });

  it('checks that --bin is an executable file', async () => {
    const bin = join(dir.path, 'archivist');
    await writeFile(bin, '#!/bin/sh\n');
    expect((await rejection(checkExecutable(bin))).problems[0]).toMatch(/is not an executable file/);
    await writeExecutable(bin, '#!/bin/sh\n');
    await expect(checkExecutable(bin)).resolves.toBeUndefined();
    await mkdir(join(dir.path, 'sub'));
    await rejection(checkExecutable(join(dir.path, 'sub')));
  });
});

describe('systemctlCommands', () => {
  it('reloads and enables the timers by name where systemd looks for units', () => {
    expect(systemctlCommands(files, '/etc/systemd/system')).toEqual([
      'systemctl daemon-reload',
      'systemctl enable --now archivist-process-recent-vods.timer archivist-link-queue.timer archivist-cleanup-orphaned.timer',
    ]);
  });

  it('links the services and enables the timers by path anywhere else', () => {
    const commands = systemctlCommands(files, '/opt/archivist/units');
    expect(commands[0]).toBe(
      'systemctl link /opt/archivist/units/archivist-process-recent-vods.service /opt/archivist/units/archivist-link-queue.service /opt/archivist/units/archivist-cleanup-orphaned.service',
    );
    expect(commands[1]).toBe('systemctl daemon-reload');
    expect(commands[2]).toMatch(/^systemctl enable --now \/opt\/archivist\/units\/archivist-process-recent-vods\.timer /);
  });
});

describe('formatDryRun', () => {
  it('prints each file under a header line naming where it would go', () => {
    const text = formatDryRun(files, '/etc/systemd/system');
    const headers = [...text.matchAll(/^==> (.+) <==$/gm)].map((m) => m[1]);
    expect(headers).toEqual(files.map((f) => `/etc/systemd/system/${f.name}`));
    expect(text.endsWith('\n')).toBe(false);
  });
});
