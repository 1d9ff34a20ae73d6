import { open, readFile, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '../errors.js';

/**
 * PGlite is a database inside this process: two processes opening the same data directory
 * would corrupt it. A lock file holding the owner's pid lets a second process wait its turn,
 * and lets a lock left by a killed process be taken over.
 */
export interface EmbeddedLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerOf(path: string): Promise<number | null> {
  try {
    const pid = Number.parseInt(await readFile(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function tryAcquire(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = await ownerOf(path);
    if (owner !== null && !isAlive(owner)) {
      await unlink(path).catch(() => undefined);
      return tryAcquire(path);
    }
    return false;
  }
}

export async function acquireEmbeddedLock(path: string, waitSeconds: number, signal?: AbortSignal): Promise<EmbeddedLock> {
  const deadline = Date.now() + waitSeconds * 1000;
  while (!(await tryAcquire(path))) {
    if (Date.now() >= deadline || signal?.aborted) {
      const owner = await ownerOf(path);
      throw new UnavailableError(
        `the embedded database is in use by another archivist process${owner ? ` (pid ${owner})` : ''}; ` +
          `waited ${waitSeconds}s (database.embeddedLockWaitSeconds). ` +
          'When timers can overlap, set DATABASE_URL to a PostgreSQL database, which serves many processes at once.',
      );
    }
    await sleep(250);
  }
  return {
    release: async () => {
      if ((await ownerOf(path)) === process.pid) await unlink(path).catch(() => undefined);
    },
  };
}
