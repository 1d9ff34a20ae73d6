import { open, readFile, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { errnoCode, UnavailableError } from '../errors.js';

/**
 * PGlite is a database inside this process: two processes opening the same data directory
 * would corrupt it. A lock file holding the owner's pid lets a second process wait its turn,
 * and lets a lock left by a killed process be taken over.
 */
export interface EmbeddedLock {
  release(): Promise<void>;
}

/** A lock file this old with no owner in it was left by a process killed while writing it. */
const UNWRITTEN_LOCK_GRACE_MS = 10_000;

interface Owner {
  pid: number;
  /** The process's start time (Linux /proc), so a pid reused by another process is not taken for the owner. */
  start: string | null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat (clock ticks after boot); null where there is no /proc. */
async function startTimeOf(pid: number): Promise<string | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

async function ownerOf(path: string): Promise<Owner | null> {
  try {
    const [pidText, start] = (await readFile(path, 'utf8')).trim().split(/\s+/);
    const pid = Number.parseInt(pidText ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? { pid, start: start ?? null } : null;
  } catch {
    return null;
  }
}

async function isStale(path: string, owner: Owner | null): Promise<boolean> {
  if (owner === null) {
    const info = await stat(path).catch(() => null);
    return info !== null && Date.now() - info.mtimeMs > UNWRITTEN_LOCK_GRACE_MS;
  }
  if (!isAlive(owner.pid)) return true;
  if (owner.start === null) return false;
  const start = await startTimeOf(owner.pid);
  return start !== null && start !== owner.start;
}

async function tryAcquire(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error;
    if (await isStale(path, await ownerOf(path))) {
      await unlink(path).catch(() => undefined);
      return tryAcquire(path);
    }
    return false;
  }
  try {
    const start = await startTimeOf(process.pid);
    await handle.writeFile(`${process.pid}${start ? ` ${start}` : ''}\n`);
    await handle.close();
  } catch (error) {
    // A lock file without our pid in it would hold every later process off.
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
  return true;
}

export async function acquireEmbeddedLock(path: string, waitSeconds: number, signal?: AbortSignal): Promise<EmbeddedLock> {
  const deadline = Date.now() + waitSeconds * 1000;
  while (!(await tryAcquire(path))) {
    // Interrupted while waiting: the command exits with the signal's code, not "waited 60s".
    signal?.throwIfAborted();
    if (Date.now() >= deadline) {
      const owner = await ownerOf(path);
      throw new UnavailableError(
        `the embedded database is in use by another archivist process${owner ? ` (pid ${owner.pid})` : ''}; ` +
          `waited ${waitSeconds}s (database.embeddedLockWaitSeconds). ` +
          'When timers can overlap, set DATABASE_URL to a PostgreSQL database, which serves many processes at once.',
        'database',
      );
    }
    await sleep(250);
  }
  return {
    release: async () => {
      if ((await ownerOf(path))?.pid === process.pid) await unlink(path).catch(() => undefined);
    },
  };
}
