import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError, errnoCode, errorMessage } from '../errors.js';
import { processStartTime } from '../process/proc-stat.js';

/**
 * PGlite is a database inside this process: two processes opening the same data directory
 * would corrupt it. The lock lets a second process wait its turn, and lets a lock left by a
 * killed process be taken over, without ever admitting two holders.
 *
 * The lock is a directory of numbered generations; the newest one is the lock and holds its
 * owner's pid and start time, or `released`. To take it a process reads the newest, n, and when
 * its owner is gone creates n+1 exclusively (a hard link of a complete file, so no one ever
 * reads a half-written owner). Of all the processes that found n stale, exactly one creates
 * n+1; the others find a live owner and wait. Nothing is deleted to take a lock over, so
 * "stale, delete, retry" cannot remove the lock someone else has just taken. The newest
 * generation is never deleted (its holder clears the older ones), and a number taken from a
 * listing that was already out of date is not the newest, so it is given back.
 */
export interface EmbeddedLock {
  release(): Promise<void>;
}

/** A generation this old with no owner in it was left by a power cut before it reached the disk. */
const UNWRITTEN_LOCK_GRACE_MS = 10_000;
const RELEASED = 'released';
const GENERATION = /^\d{1,15}$/;
const TEMP = /^\.tmp-(\d+)-[0-9a-f]+$/;
const MAX_IMMEDIATE_RETRIES = 20;

interface Owner {
  pid: number;
  /** The process's start time (Linux /proc), so a pid reused by another process is not taken for the owner. */
  start: string | null;
}

type Holder = Owner | typeof RELEASED | null;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

function parseHolder(text: string): Holder {
  const trimmed = text.trim();
  if (trimmed === RELEASED) return RELEASED;
  const [pidText, start] = trimmed.split(/\s+/);
  const pid = Number.parseInt(pidText ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? { pid, start: start ?? null } : null;
}

/** Undefined when the file is gone: a newer generation has been taken meanwhile. */
async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    return parseHolder(await readFile(path, 'utf8'));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function isFree(path: string, holder: Holder): Promise<boolean> {
  if (holder === RELEASED) return true;
  if (holder === null) {
    const info = await stat(path).catch(() => null);
    return info !== null && Date.now() - info.mtimeMs > UNWRITTEN_LOCK_GRACE_MS;
  }
  if (!isAlive(holder.pid)) return true;
  if (holder.start === null) return false;
  const start = await processStartTime(holder.pid);
  return start !== null && start !== holder.start;
}

/** Generation numbers, newest first. */
async function generations(dir: string): Promise<number[]> {
  return (await readdir(dir))
    .filter((name) => GENERATION.test(name))
    .map(Number)
    .sort((a, b) => b - a);
}

let ownLine: Promise<string> | undefined;
function ownerLine(): Promise<string> {
  ownLine ??= processStartTime(process.pid).then((start) => `${process.pid}${start ? ` ${start}` : ''}\n`);
  return ownLine;
}

/** Writes `text` under a temp name in `dir`; the caller links or renames it into place. */
async function writeTemp(dir: string, text: string): Promise<string> {
  const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  await writeFile(temp, text, { flag: 'wx' });
  return temp;
}

/**
 * The generation this process now holds; `busy` when a live process holds the lock; `raced`
 * when the lock changed hands while we looked, so looking again at once gives the answer.
 */
async function tryAcquire(dir: string): Promise<number | 'busy' | 'raced'> {
  const [newest] = await generations(dir);
  if (newest !== undefined) {
    const path = join(dir, String(newest));
    const holder = await readHolder(path);
    if (holder === undefined) return 'raced';
    if (!(await isFree(path, holder))) return 'busy';
  }
  const next = (newest ?? 0) + 1;
  const temp = await writeTemp(dir, await ownerLine());
  try {
    await link(temp, join(dir, String(next)));
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return 'raced';
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const [latest] = await generations(dir);
  if (latest !== next) {
    await unlink(join(dir, String(next))).catch(() => undefined);
    return 'raced';
  }
  await clearOlder(dir, next);
  return next;
}

/** Older generations, and temp files of processes that are gone, are no one's any more. */
async function clearOlder(dir: string, held: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const temp = TEMP.exec(name);
    const stale = GENERATION.test(name) ? Number(name) < held : temp !== null && !isAlive(Number(temp[1]));
    if (stale) await unlink(join(dir, name)).catch(() => undefined);
  }
}

async function newestOwner(dir: string): Promise<Owner | null> {
  const [newest] = await generations(dir).catch(() => []);
  if (newest === undefined) return null;
  const holder = await readHolder(join(dir, String(newest))).catch(() => undefined);
  return holder === undefined || holder === RELEASED ? null : holder;
}

/** The live process holding the lock at `path`, or null when it is free (or there is none). */
export async function embeddedLockHolder(path: string): Promise<{ pid: number } | null> {
  const [newest] = await generations(path).catch(() => []);
  if (newest === undefined) return null;
  const file = join(path, String(newest));
  const holder = await readHolder(file).catch(() => undefined);
  if (holder === undefined || holder === null || holder === RELEASED || (await isFree(file, holder))) return null;
  return { pid: holder.pid };
}

async function release(dir: string, generation: number): Promise<void> {
  const path = join(dir, String(generation));
  const holder = await readHolder(path);
  if (holder === undefined || holder === RELEASED || holder?.pid !== process.pid) return;
  // Replaced in one step: the newest generation must never be missing, or a process holding
  // an old listing could take a number that looks newest while another holds the lock.
  const temp = await writeTemp(dir, `${RELEASED}\n`);
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** `path` is the lock's directory (created when missing). */
export async function acquireEmbeddedLock(path: string, waitSeconds: number, signal?: AbortSignal): Promise<EmbeddedLock> {
  try {
    await mkdir(path, { recursive: true });
    await readdir(path);
  } catch (error) {
    throw new UnavailableError(
      `cannot use ${path} as the embedded database's lock directory: ${errorMessage(error)}` +
        ' (a plain file there is a lock from an older archivist: remove it when no archivist process is running)',
      'database',
      { cause: error },
    );
  }
  const deadline = Date.now() + waitSeconds * 1000;
  let races = 0;
  for (;;) {
    const outcome = await tryAcquire(path);
    if (typeof outcome === 'number') return { release: () => release(path, outcome) };
    // A race is settled by the next look; a bound keeps a pathological one from spinning.
    if (outcome === 'raced' && ++races <= MAX_IMMEDIATE_RETRIES) continue;
    races = 0;
    // Interrupted while waiting: the command exits with the signal's code, not "waited 60s".
    signal?.throwIfAborted();
    if (Date.now() >= deadline) {
      const owner = await newestOwner(path);
      throw new UnavailableError(
        `the embedded database is in use by another archivist process${owner ? ` (pid ${owner.pid})` : ''}; ` +
          `waited ${waitSeconds}s (database.embeddedLockWaitSeconds). ` +
          'When timers can overlap, set DATABASE_URL to a PostgreSQL database, which serves many processes at once.',
        'database',
      );
    }
    await sleep(250);
  }
}

function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
