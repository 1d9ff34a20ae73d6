import { execa } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderUnits } from '../../src/lib/systemd/render-units.js';
import { SCHEDULED_COMMANDS } from '../../src/lib/systemd/schedules.js';
import { resolveUnitOptions } from '../../src/lib/systemd/unit-options.js';
import { committedUnitFiles, tempDir, values, writeExecutable } from './helpers.js';
import { errnoCode } from '../../src/lib/errors.js';

const LEGACY_UNIT = fileURLToPath(new URL('./fixtures/legacy-archivist-vod.service', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The `[Service]` lines of the NVIDIA drop-in that README.md tells operators to add. */
async function nvidiaDropIn(): Promise<string> {
  const match = /NVIDIA \(CUDA\):\n\n```ini\n\[Service\]\n([\s\S]*?)```/.exec(await readFile(README, 'utf8'));
  if (!match?.[1]) throw new Error('no NVIDIA drop-in in README.md');
  return match[1];
}

const version = await execa('systemd-analyze', ['--version'], { reject: false });
const absent = version.failed && errnoCode(version.cause) === 'ENOENT';

function analyze(args: string[], env: Record<string, string> = {}) {
  return execa('systemd-analyze', args, { reject: false, env: { ...env, SYSTEMD_PAGER: '', SYSTEMD_COLORS: '0' } });
}

function exposure(output: string): number {
  const match = /Overall exposure level for \S+: (\d+\.\d+)/.exec(output);
  if (!match?.[1]) throw new Error(`no exposure level in:\n${output}`);
  return Number(match[1]);
}

/** The UTC instants `systemd-analyze calendar` lists, and the local wall-clock time of each. */
function elapses(output: string): { utc: string; local: string }[] {
  const local = [...output.matchAll(/^\s*(?:Next elapse|Iter\. #\d+): \w{3} (\S+ \S+) \S+$/gm)].map((m) => m[1] ?? '');
  const utc = [...output.matchAll(/^\s*\(in UTC\): \w{3} (\S+ \S+) UTC$/gm)].map((m) => m[1] ?? '');
  expect(utc).toHaveLength(local.length);
  return local.map((l, i) => ({ local: l, utc: utc[i] ?? '' }));
}

/** The committed timer's OnCalendar=, after checking nothing in it moves the run off that time. */
async function calendarOf(timer: string): Promise<string> {
  const file = (await committedUnitFiles()).find((f) => f.name === timer);
  if (!file) throw new Error(`no committed timer ${timer}`);
  expect(values(file.text, 'Timer', 'RandomizedDelaySec')).toEqual([]);
  expect(values(file.text, 'Timer', 'AccuracySec')).toEqual(['1s']);
  const [calendar] = values(file.text, 'Timer', 'OnCalendar');
  if (calendar === undefined) throw new Error(`${timer} has no OnCalendar=`);
  return calendar;
}

describe.skipIf(absent)(`systemd-analyze on the rendered units${absent ? ' (skipped: systemd-analyze is not installed)' : ''}`, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir();
    // verify checks that ExecStart's program exists, so the units point at a real executable here.
    const bin = join(dir.path, 'archivist');
    await writeExecutable(bin, '#!/bin/sh\nexit 0\n');
    for (const file of renderUnits(resolveUnitOptions({ bin, rwPaths: ['-/srv/captions'] }))) {
      await writeFile(join(dir.path, file.name), file.text);
    }
  });
  afterAll(async () => {
    await dir.remove();
  });

  const files = renderUnits(resolveUnitOptions({}));

  it.each(files.map((f) => f.name))('verify %s: no errors, no warnings', async (name) => {
    const result = await analyze(['verify', join(dir.path, name)]);
    expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it.each(SCHEDULED_COMMANDS.map((c) => c.service))('security --offline=yes %s: exposure 2.0 or below', async (name) => {
    const result = await analyze(['security', '--offline=yes', join(dir.path, name)]);
    expect(exposure(result.stdout)).toBeLessThanOrEqual(2.0);
  });

  it('keeps the nightly run at 2.0 or below, and valid, with the documented GPU drop-in', async () => {
    const name = 'archivist-process-recent-vods.service';
    const withGpu = join(dir.path, 'gpu', name);
    await mkdir(join(dir.path, 'gpu'));
    // A drop-in's [Service] lines act as if appended to the unit's own [Service] section, the last one.
    await writeFile(withGpu, `${await readFile(join(dir.path, name), 'utf8')}${await nvidiaDropIn()}`);
    const verify = await analyze(['verify', withGpu]);
    expect({ exitCode: verify.exitCode, stderr: verify.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(exposure((await analyze(['security', '--offline=yes', withGpu])).stdout)).toBeLessThanOrEqual(2.0);
  });

  it('scores the old unit at 8.5, the baseline the new ones replace', async () => {
    const result = await analyze(['security', '--offline=yes', LEGACY_UNIT]);
    expect(exposure(result.stdout)).toBe(8.5);
  });

  it('calendar: link-queue runs every 2 hours at :15 UTC, whatever the host time zone', async () => {
    const spec = await calendarOf('archivist-link-queue.timer');
    const result = await analyze(['calendar', '--iterations=24', '--base-time=2026-03-07 12:00:00 UTC', spec], { TZ: 'America/Chicago' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Normalized form: ${spec}`);
    const utc = elapses(result.stdout).map((e) => e.utc);
    expect(utc).toHaveLength(24);
    // 24 runs 2 hours apart span the Chicago change to daylight time on 8 March.
    const start = Date.parse('2026-03-07T12:15:00Z');
    expect(utc).toEqual(utc.map((_, i) => new Date(start + i * 2 * 3600_000).toISOString().replace('T', ' ').slice(0, 19)));
  });

  it('calendar: cleanup-orphaned runs daily at 03:45 UTC', async () => {
    const spec = await calendarOf('archivist-cleanup-orphaned.timer');
    const result = await analyze(['calendar', '--iterations=3', '--base-time=2026-03-07 12:00:00 UTC', spec], { TZ: 'America/Chicago' });
    expect(result.exitCode).toBe(0);
    expect(elapses(result.stdout).map((e) => e.utc)).toEqual(['2026-03-08 03:45:00', '2026-03-09 03:45:00', '2026-03-10 03:45:00']);
  });

  it('calendar: process-recent-vods runs at 19:00 host local time, across a daylight-saving change', async () => {
    const spec = await calendarOf('archivist-process-recent-vods.timer');
    const result = await analyze(['calendar', '--iterations=3', '--base-time=2026-03-07 12:00:00 UTC', spec], { TZ: 'America/Chicago' });
    expect(result.exitCode).toBe(0);
    expect(elapses(result.stdout)).toEqual([
      { local: '2026-03-07 19:00:00', utc: '2026-03-08 01:00:00' },
      { local: '2026-03-08 19:00:00', utc: '2026-03-09 00:00:00' },
      { local: '2026-03-09 19:00:00', utc: '2026-03-10 00:00:00' },
    ]);
  });

  it('every timer is covered by a calendar check above, and the committed ones are what is rendered', async () => {
    for (const file of files.filter((f) => f.dir === 'timers')) {
      expect(values(file.text, 'Timer', 'OnCalendar')).toEqual([await calendarOf(file.name)]);
    }
  });

  it('verify: the timers with --spread (RandomizedDelaySec, FixedRandomDelay) are valid for this systemd', async () => {
    const spread = join(dir.path, 'spread');
    await mkdir(spread);
    for (const file of renderUnits(resolveUnitOptions({ bin: join(dir.path, 'archivist'), spreadMinutes: 10 }))) {
      await writeFile(join(spread, file.name), file.text);
    }
    for (const job of SCHEDULED_COMMANDS) {
      const result = await analyze(['verify', join(spread, job.timer)]);
      expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });
    }
  });
});
