import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../errors.js';
import { pathExists } from './path-exists.js';

/**
 * A temp name beside the target, so the final rename never crosses a file system. It starts
 * with ".archivist-" so scanners and cleanup recognise it as ours.
 */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.archivist-${randomBytes(6).toString('hex')}-${basename(target)}.tmp`);
}

export interface AtomicWriteOptions {
  /** Refuse (with an EEXIST error) when the target exists, instead of replacing it. */
  exclusive?: boolean;
  mode?: number;
}

/**
 * Writes `data` to `target` so that readers see either the old file or the whole new one:
 * write a temp file, fsync it, then rename (or, when exclusive, hard-link so an existing
 * target is never replaced, even one created between our check and our write).
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(target);
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, options.mode ?? 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameIntoPlace(temp, target, { replaceOurs: options.exclusive !== true });
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

export interface RenameIntoPlaceOptions {
  /**
   * The caller knows the file at `target`, if any, is one we wrote (its own earlier output, a
   * recorded artifact), so replacing it is allowed. Otherwise an existing target is refused.
   */
  replaceOurs?: boolean;
}

/** Thrown (code EEXIST) when a rename would replace a file that is not known to be ours. */
export class TargetExistsError extends Error {
  readonly code = 'EEXIST';
  constructor(readonly target: string) {
    super(`${target} already exists and Archivist did not write it: refusing to replace it`);
    this.name = 'TargetExistsError';
  }
}

/** Link errors that mean "this file system has no hard links", not "the target exists". */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Moves a finished temp file to its final name and makes that durable. Without `replaceOurs`
 * it hard-links and unlinks, so a file already there (even one that appeared a moment ago) is
 * never replaced; on a file system without hard links it checks, then renames.
 */
export async function renameIntoPlace(from: string, target: string, options: RenameIntoPlaceOptions = {}): Promise<void> {
  if (options.replaceOurs === true) {
    await rename(from, target);
  } else {
    try {
      await link(from, target);
      await unlink(from);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EEXIST') throw new TargetExistsError(target);
      if (code === undefined || !NO_HARD_LINKS.has(code)) throw error;
      if (await pathExists(target)) throw new TargetExistsError(target);
      await rename(from, target);
    }
  }
  await syncDirectory(dirname(target));
}

/** Makes a rename durable: without it a power cut can lose the directory entry. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } catch {
    // Some file systems (CIFS shares among them) refuse fsync on a directory; the rename stands.
  } finally {
    await handle.close();
  }
}
