import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hiddenBy } from '../../src/lib/systemd/hidden-paths.js';
import type { UnitFile } from '../../src/lib/systemd/render-units.js';
import { runArchivist } from '../support/cli.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Not under /tmp or /home: the units hide those (PrivateTmp=, ProtectHome=), so install refuses
 * a --bin or paths there. The checkout's scratch/ unless the checkout itself is hidden (a CI
 * clone under /tmp), then /var/lib, which the units see.
 */
const SCRATCH = hiddenBy(REPO) === undefined ? join(REPO, 'scratch') : '/var/lib/archivist-tests';

export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  await mkdir(SCRATCH, { recursive: true });
  const path = await mkdtemp(join(SCRATCH, 'archivist-systemd-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** `archivist systemd ...`, in-process, with nothing of the developer's own setup. */
export function runSystemdCommand(args: string[], home: string) {
  return runArchivist(['systemd', ...args], { HOME: home }, { cwd: home });
}

/** The unit files committed under systemd/units and systemd/timers. */
export async function committedUnitFiles(): Promise<UnitFile[]> {
  const files: UnitFile[] = [];
  for (const dir of ['units', 'timers'] as const) {
    for (const name of (await readdir(join(REPO, 'systemd', dir))).sort()) {
      files.push({ name, dir, text: await readFile(join(REPO, 'systemd', dir, name), 'utf8') });
    }
  }
  return files;
}

export async function writeExecutable(path: string, script: string): Promise<void> {
  await writeFile(path, script);
  await chmod(path, 0o755);
}

/** `key=value` lines of one section, in order; comments and blank lines left out. */
export function sectionEntries(text: string, section: string): [string, string][] {
  const entries: [string, string][] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1] ?? '';
    else if (current === section && line !== '' && !line.startsWith('#')) {
      const eq = line.indexOf('=');
      entries.push([line.slice(0, eq), line.slice(eq + 1)]);
    }
  }
  return entries;
}

export function values(text: string, section: string, key: string): string[] {
  return sectionEntries(text, section)
    .filter(([k]) => k === key)
    .map(([, v]) => v);
}
