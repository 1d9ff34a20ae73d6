import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { committedUnitFiles, runSystemdCommand, tempDir, writeExecutable } from './helpers.js';

/** Splits `--dry-run` output back into files: `==> path <==` opens each one. */
function parseDryRun(stdout: string): { path: string; text: string }[] {
  const parts = stdout.split(/^==> (.+) <==\n/m).slice(1);
  const files: { path: string; text: string }[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    // Files are separated by one blank line; the last one's newline is the printed line's.
    const body = (parts[i + 1] ?? '').replace(/\n\n$/, '\n');
    files.push({ path: parts[i] ?? '', text: body.endsWith('\n') ? body : `${body}\n` });
  }
  return files;
}

describe('archivist systemd install', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('--dry-run with default options prints exactly the committed units', async () => {
    const result = await runSystemdCommand(['install', '--dry-run'], dir.path);
    // No config names paths.state, so this shell's own state directory is another one.
    expect(result.stderr).toBe(
      `archivist: the service keeps its embedded database in /var/lib/archivist, but this shell's commands open ${join(dir.path, '.local', 'state', 'archivist')}: name it in the config ("paths": {"state": "/var/lib/archivist"}) and run \`sudo -u archivist archivist status\`\n`,
    );
    expect(result.exitCode).toBe(0);
    const printed = parseDryRun(result.stdout);
    const committed = await committedUnitFiles();
    expect(printed.map((f) => f.path).sort()).toEqual(committed.map((f) => `/etc/systemd/system/${f.name}`).sort());
    for (const file of committed) {
      expect(printed.find((p) => p.path === `/etc/systemd/system/${file.name}`)?.text).toBe(file.text);
    }
  });

  it('writes the units for this installation and prints the systemctl commands it does not run', async () => {
    const bin = join(dir.path, 'archivist');
    await writeExecutable(bin, '#!/bin/sh\n');
    const units = join(dir.path, 'units');
    await mkdir(units);
    const result = await runSystemdCommand(['install', '--prefix', units, '--bin', bin, '--user', 'captions', '--rw-path', '/srv/captions'], dir.path);
    expect(result.stderr).toContain('name it in the config ("paths": {"state": "/var/lib/archivist"})');
    expect(result.exitCode).toBe(0);
    expect((await readdir(units)).length).toBe(6);
    const service = await readFile(join(units, 'archivist-process-recent-vods.service'), 'utf8');
    expect(service).toContain(`ExecStart=${bin} process-recent-vods\n`);
    expect(service).toContain('User=captions\nGroup=captions\n');
    expect(service).toContain('ReadWritePaths=/srv/captions\n');
    expect(result.stdout).toContain(`create    ${join(units, 'archivist-link-queue.timer')}`);
    expect(result.stdout).toContain('systemctl daemon-reload');
    expect(result.stdout).toContain(`systemctl enable --now ${join(units, 'archivist-process-recent-vods.timer')}`);

    const again = await runSystemdCommand(['--json', 'install', '--prefix', units, '--bin', bin, '--user', 'captions', '--rw-path', '/srv/captions'], dir.path);
    expect(again.exitCode).toBe(0);
    const report = JSON.parse(again.stdout) as { files: { action: string }[]; commands: string[] };
    expect(report.files.map((f) => f.action)).toEqual(Array(6).fill('unchanged'));
    expect(report.commands).toHaveLength(3);
  });

  it("follows the config: ReadWritePaths from its shares, output and state, warnings for what the sandbox hides", async () => {
    const config = join(dir.path, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        sites: [
          { key: 'flex1', name: 'Birchwood', share: '/mnt/flex-1' },
          { key: 'flex8', name: 'White Bear Lake', share: '/srv/shares/flex-8' },
        ],
        paths: { output: '/tmp/captions', state: '/srv/archivist' },
      }),
    );
    const result = await runSystemdCommand(['--config', config, '--json', 'install', '--dry-run', '--spread', '5'], dir.path);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { files: { name: string; text: string }[]; warnings: string[] };
    const text = (name: string) => report.files.find((f) => f.name === name)?.text ?? '';
    expect(text('archivist-process-recent-vods.service')).toContain('ReadWritePaths=-/mnt/flex-1 -/srv/shares/flex-8 /tmp/captions /srv/archivist\n');
    expect(text('archivist-cleanup-orphaned.service')).toContain('ReadWritePaths=-/mnt/flex-1 -/srv/shares/flex-8 /tmp/captions /srv/archivist\n');
    expect(text('archivist-link-queue.service')).toContain('ReadWritePaths=/srv/archivist\n');
    expect(text('archivist-process-recent-vods.service')).toContain(`Environment=ARCHIVIST_CONFIG=${config}\n`);
    expect(text('archivist-link-queue.timer')).toContain('RandomizedDelaySec=5min\nFixedRandomDelay=yes\n');
    expect(report.warnings).toEqual([
      'paths.output /tmp/captions is under /tmp (PrivateTmp=yes): the units cannot see it; move it',
      `the units read ${config} (ARCHIVIST_CONFIG); an operator's commands read it only with --config or ARCHIVIST_CONFIG`,
    ]);
    expect(result.stderr).toContain('archivist: paths.output /tmp/captions is under /tmp (PrivateTmp=yes)');
  });

  it('refuses a --bin that is, or leads, where the units cannot see', async () => {
    // /tmp itself, not tmpdir(): it is what the units' PrivateTmp hides, wherever TMPDIR points.
    const hidden = await mkdtemp('/tmp/archivist-bin-');
    try {
      const real = join(hidden, 'archivist');
      await writeExecutable(real, '#!/bin/sh\n');
      const direct = await runSystemdCommand(['install', '--prefix', dir.path, '--bin', real], dir.path);
      expect(direct.exitCode).toBe(2);
      expect(direct.stderr).toContain(`--bin: ${real} is under /tmp (PrivateTmp=yes), which the units cannot see`);
      const link = join(dir.path, 'archivist');
      await symlink(real, link);
      const linked = await runSystemdCommand(['install', '--prefix', dir.path, '--bin', link], dir.path);
      expect(linked.exitCode).toBe(2);
      expect(linked.stderr).toContain(`--bin: ${link} resolves to ${real}, under /tmp (PrivateTmp=yes)`);
      expect(await readdir(dir.path)).toEqual(['archivist']);
    } finally {
      await rm(hidden, { recursive: true, force: true });
    }
  });

  it('exits 2 and changes nothing for a foreign file, a missing program or bad options', async () => {
    const bin = join(dir.path, 'archivist');
    await writeExecutable(bin, '#!/bin/sh\n');
    await writeFile(join(dir.path, 'archivist-link-queue.service'), '[Service]\nExecStart=/bin/true\n');

    const foreign = await runSystemdCommand(['install', '--prefix', dir.path, '--bin', bin], dir.path);
    expect(foreign.exitCode).toBe(2);
    expect(foreign.stderr).toContain('was not written by archivist (use --force to replace it)');
    expect((await readdir(dir.path)).sort()).toEqual(['archivist', 'archivist-link-queue.service']);

    const absentBin = join(dir.path, 'not-installed');
    const missing = await runSystemdCommand(['install', '--prefix', dir.path, '--bin', absentBin, '--force'], dir.path);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`--bin: ${absentBin} is not an executable file`);

    const bad = await runSystemdCommand(['install', '--dry-run', '--user', 'root', '--rw-path', 'relative/dir'], dir.path);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--user: the services must not run as root');
    expect(bad.stderr).toContain('--rw-path: "relative/dir" must be an absolute path');
    expect(bad.stdout).toBe('');
  });
});
