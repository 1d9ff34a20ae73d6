import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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
    if (options.exclusive) {
      await link(temp, target);
      await unlink(temp);
    } else {
      await rename(temp, target);
    }
    await syncDirectory(dirname(target));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
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
