import { constants } from 'node:fs';
import { access, readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { errnoCode, UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { hiddenBy } from './hidden-paths.js';
import { GENERATED_MARKER, type UnitFile } from './render-units.js';

export const DEFAULT_UNIT_DIR = '/etc/systemd/system';

/** Directories systemd reads system units from without being told (systemd.unit(5)). */
const SYSTEM_UNIT_DIRS = new Set([
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
]);

export type InstallAction =
  | 'create'
  /** Replaces an earlier file of ours. */
  | 'update'
  /** Replaces a file we did not write; only with --force. */
  | 'overwrite'
  | 'unchanged';

export interface PlannedFile {
  path: string;
  file: UnitFile;
  action: InstallAction;
}

async function readExisting(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function actionFor(existing: string | null, wanted: string, force: boolean): InstallAction | 'conflict' {
  if (existing === null) return 'create';
  if (existing === wanted) return 'unchanged';
  if (existing.startsWith(GENERATED_MARKER)) return 'update';
  return force ? 'overwrite' : 'conflict';
}

/**
 * Decides what happens to each file before anything is written, so a conflict leaves the
 * directory as it was instead of half installed.
 */
export async function planInstall(files: readonly UnitFile[], prefix: string, force: boolean): Promise<PlannedFile[]> {
  const dir = resolve(prefix);
  const info = await stat(dir).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  });
  if (!info?.isDirectory()) {
    throw new UsageError(`--prefix ${dir} is not a directory`, [`--prefix: ${dir} does not exist or is not a directory`]);
  }
  const plan: PlannedFile[] = [];
  const conflicts: string[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    const action = actionFor(await readExisting(path), file.text, force);
    if (action === 'conflict') {
      conflicts.push(`${path}: exists, differs and was not written by archivist (use --force to replace it)`);
    } else {
      plan.push({ path, file, action });
    }
  }
  if (conflicts.length > 0) throw new UsageError('refusing to replace unit files archivist did not write', conflicts);
  return plan;
}

/** ExecStart= of a missing program would only fail at 19:00; say so now. */
export async function checkExecutable(bin: string): Promise<void> {
  try {
    const info = await stat(bin);
    if (!info.isFile()) throw new Error('not a file');
    await access(bin, constants.X_OK);
  } catch (error) {
    throw new UsageError(
      `--bin ${bin} is not an executable file`,
      [`--bin: ${bin} is not an executable file; pass the installed command, e.g. --bin "$(command -v archivist)"`],
      { cause: error },
    );
  }
  // `npm install -g .` links the package directory instead of copying it, so a bin in /usr/bin
  // can lead into a home directory the units cannot see.
  const real = await realpath(bin);
  const hidden = hiddenBy(real);
  if (hidden !== undefined) {
    throw new UsageError(`--bin ${bin} cannot run under the units`, [
      `--bin: ${bin} resolves to ${real}, under ${hidden}, which the units cannot see; ` +
        'install a packed copy (npm pack, then npm install -g archivist-<version>.tgz) or keep the checkout outside it',
    ]);
  }
}

export async function applyInstall(plan: readonly PlannedFile[]): Promise<void> {
  for (const { path, file, action } of plan) {
    if (action === 'unchanged') continue;
    // A new file is linked in exclusively: one that appeared since planning is never clobbered.
    await writeFileAtomic(path, file.text, { exclusive: action === 'create', mode: 0o644 });
  }
}

/** What the administrator runs next; `install` prints these and runs none of them. */
export function systemctlCommands(files: readonly UnitFile[], prefix: string): string[] {
  const dir = resolve(prefix);
  const timers = files.filter((f) => f.dir === 'timers');
  if (SYSTEM_UNIT_DIRS.has(dir)) {
    return ['systemctl daemon-reload', `systemctl enable --now ${timers.map((t) => t.name).join(' ')}`];
  }
  // systemd does not look in other directories: link the services, enable the timers by path.
  const services = files.filter((f) => f.dir === 'units');
  return [
    `systemctl link ${services.map((s) => join(dir, s.name)).join(' ')}`,
    'systemctl daemon-reload',
    `systemctl enable --now ${timers.map((t) => join(dir, t.name)).join(' ')}`,
  ];
}

/**
 * `==> path <==` before each file, as `head` does for several files. Without a final newline:
 * printing it adds that one back.
 */
export function formatDryRun(files: readonly UnitFile[], prefix: string): string {
  const dir = resolve(prefix);
  return files
    .map((f) => `==> ${join(dir, f.name)} <==\n${f.text}`)
    .join('\n')
    .replace(/\n$/, '');
}
