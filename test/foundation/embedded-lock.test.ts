import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireEmbeddedLock } from '../../src/lib/db/embedded-lock.js';
import { UnavailableError } from '../../src/lib/errors.js';

const linux = process.platform === 'linux';

/** The lock is a directory of generations; the newest is the lock. */
async function newest(path: string): Promise<{ name: string; text: string }> {
  const names = (await readdir(path)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a));
  const name = names[0] ?? '';
  return { name, text: await readFile(join(path, name), 'utf8') };
}

/** A lock as another process (or an earlier run) left it. */
async function leaveLock(path: string, text: string): Promise<string> {
  await mkdir(path, { recursive: true });
  await writeFile(join(path, '3'), text);
  return join(path, '3');
}

describe('embedded database lock', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archivist-lock-'));
    path = join(dir, 'pglite.lock');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes its pid, releases only its own lock, and can be taken again after release', async () => {
    const lock = await acquireEmbeddedLock(path, 0);
    expect((await newest(path)).text.split(' ')[0]?.trim()).toBe(String(process.pid));
    await lock.release();
    expect((await newest(path)).text).toBe('released\n');
    const again = await acquireEmbeddedLock(path, 0);
    await lock.release();
    expect((await newest(path)).text.startsWith(`${process.pid}`)).toBe(true);
    await again.release();
    // Only the newest generation is kept.
    expect(await readdir(path)).toEqual([(await newest(path)).name]);
  });

  it('refuses a lock held by a live process', async () => {
    // The parent process is alive; a lock file with only a pid (no start time) is trusted.
    await leaveLock(path, `${process.ppid}\n`);
    await expect(acquireEmbeddedLock(path, 0)).rejects.toThrow(`in use by another archivist process (pid ${process.ppid})`);
  });

  it.skipIf(!linux)(
    'takes over a lock whose pid now belongs to another process',
    async () => {
      // A live pid with a start time that is not its own: the owner died and the pid was reused.
      await leaveLock(path, `${process.ppid} 1\n`);
      const lock = await acquireEmbeddedLock(path, 0);
      expect((await newest(path)).text.startsWith(`${process.pid}`)).toBe(true);
      await lock.release();
    },
    10_000,
  );

  it('stops waiting when the command is interrupted, with the signal as the reason', async () => {
    await leaveLock(path, `${process.ppid}\n`);
    const controller = new AbortController();
    controller.abort(new Error('received SIGTERM'));
    await expect(acquireEmbeddedLock(path, 60, controller.signal)).rejects.toThrow('received SIGTERM');
  });

  it.skipIf(!linux)('refuses a lock whose live owner has the recorded start time', async () => {
    const first = await acquireEmbeddedLock(path, 0);
    await expect(acquireEmbeddedLock(path, 0)).rejects.toBeInstanceOf(UnavailableError);
    await first.release();
  });

  it('takes over an empty lock file left by a process killed while writing it, once it is old', async () => {
    const generation = await leaveLock(path, '');
    await expect(acquireEmbeddedLock(path, 0)).rejects.toBeInstanceOf(UnavailableError);
    const old = new Date(Date.now() - 60_000);
    await utimes(generation, old, old);
    const lock = await acquireEmbeddedLock(path, 0);
    await lock.release();
  });

  it('says what to do when an older archivist left a lock file where the directory goes', async () => {
    await writeFile(path, `${process.ppid}\n`);
    await expect(acquireEmbeddedLock(path, 0)).rejects.toThrow('a lock from an older archivist');
  });
});
