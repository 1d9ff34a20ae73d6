import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, readdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoCode, errorMessage } from '../errors.js';
import { isMountPoint } from './mounts.js';
import type { CheckResult, DoctorCheck } from './check.js';

function describeErrno(error: unknown): string {
  const code = errnoCode(error);
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  if (code === 'EROFS') return 'on a read-only file system (EROFS)';
  return errorMessage(error);
}

/**
 * Creates and removes a probe file in `dir`, named as Archivist's temp files are
 * (`.archivist-<hex>-*.tmp`), so cleanup takes one left by a crash. Throws what the file system says.
 */
async function probeWrite(dir: string): Promise<void> {
  const probe = `${dir}/.archivist-${randomBytes(6).toString('hex')}-doctor.tmp`;
  const handle = await open(probe, 'wx');
  await handle.close();
  await rm(probe, { force: true });
}

/** The folder itself, or the nearest one above it that exists (commands create the rest). */
async function nearestExisting(path: string): Promise<{ dir: string; exists: boolean }> {
  let current = path;
  for (;;) {
    try {
      await stat(current);
      return { dir: current, exists: current === path };
    } catch (error) {
      const parent = dirname(current);
      if (errnoCode(error) !== 'ENOENT' || parent === current) return { dir: current, exists: current === path };
      current = parent;
    }
  }
}

/** `paths.work` or `paths.output`: a folder Archivist can create files in (a probe file is created and removed). */
export async function checkWritableFolder(name: string, path: string): Promise<CheckResult> {
  const base = { name, where: path };
  try {
    const { dir, exists } = await nearestExisting(path);
    const info = await stat(dir);
    if (!info.isDirectory()) {
      return { ...base, status: 'fail', exitCode: 2, detail: `cannot be a folder: ${dir} is a file, not a folder (${name})` };
    }
    await probeWrite(dir);
    return { ...base, status: 'ok', detail: exists ? 'writable' : `does not exist yet; ${dir} is writable, so it will be created` };
  } catch (error) {
    return { ...base, status: 'fail', exitCode: 2, detail: `not writable: ${describeErrno(error)} (${name})` };
  }
}

export const checkWorkAndOutput: DoctorCheck = async ({ config }) =>
  Promise.all([checkWritableFolder('paths.work', config.paths.work), checkWritableFolder('paths.output', config.paths.output)]);

/**
 * Each share: present, a folder, readable, and mounted. A share that is not a mount point
 * may be a mount that failed (an empty folder looks like a share with nothing new), so that
 * is a warning, or a failure with `sites[].requireMount`. Sidecars are written beside the
 * recordings, so a share that is read-only is a warning.
 */
export const checkShares: DoctorCheck = async ({ config }) =>
  Promise.all(
    config.sites.map(async (site): Promise<CheckResult> => {
      const base = { name: `share ${site.key}`, where: site.share };
      try {
        const info = await stat(site.share);
        if (!info.isDirectory()) return { ...base, status: 'fail', exitCode: 2, detail: `not a folder (sites.${site.key}.share)` };
        const entries = await readdir(site.share);
        const mounted = await isMountPoint(site.share);
        let writable = true;
        try {
          await access(site.share, constants.W_OK);
        } catch {
          writable = false;
        }
        const found = `readable, ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`;
        if (!mounted) {
          const detail = `${found}; not a mount point (a share that failed to mount looks like this)`;
          return site.requireMount === true
            ? { ...base, status: 'fail', exitCode: 3, detail: `${detail}; sites.${site.key}.requireMount is set` }
            : { ...base, status: 'warn', detail };
        }
        if (!writable)
          return { ...base, status: 'warn', detail: `${found}, mounted; not writable: sidecars cannot be written beside the recordings` };
        return { ...base, status: 'ok', detail: `${found}, mounted` };
      } catch (error) {
        const missing = errnoCode(error) === 'ENOENT';
        return {
          ...base,
          status: 'fail',
          exitCode: 3,
          detail: missing ? 'does not exist (not mounted?)' : `cannot be read: ${describeErrno(error)}`,
        };
      }
    }),
  );
