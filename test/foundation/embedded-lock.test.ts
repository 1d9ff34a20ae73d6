import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireEmbeddedLock } from '../../src/lib/db/embedded-lock.js';
import { UnavailableError } from '../../src/lib/errors.js';

const linux = process.platform === 'linux';

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

  it('writes its pid and releases only its own lock', async () => {
    const lock = await acquireEmbeddedLock(path, 0);
    expect((await readFile(path, 'utf8')).split(' ')[0]?.trim()).toBe(String(process.pid));
    await lock.release();
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a lock held by a live process', async () => {
    // The parent process is alive; a lock file with only a pid (no start time) is trusted.
    await writeFile(path, `${process.ppid}\n`);
    await expect(acquireEmbeddedLock(path, 0)).rejects.toBeInstanceOf(UnavailableError);
  });

  it.skipIf(!linux)(
    'takes over a lock whose pid now belongs to another process',
    async () => {
      // A live pid with a start time that is not its own: the owner died and the pid was reused.
      await writeFile(path, `${process.ppid} 1\n`);
      const lock = await acquireEmbeddedLock(path, 0);
      expect((await readFile(path, 'utf8')).startsWith(`${process.pid}`)).toBe(true);
      await lock.release();
    },
    10_000,
  );

  it('stops waiting when the command is interrupted, with the signal as the reason', async () => {
    await writeFile(path, `${process.ppid}\n`);
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
    await writeFile(path, '');
    await expect(acquireEmbeddedLock(path, 0)).rejects.toBeInstanceOf(UnavailableError);
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    const lock = await acquireEmbeddedLock(path, 0);
    await lock.release();
  });
});
