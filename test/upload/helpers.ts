import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { MIB } from '../../src/lib/upload/segments.js';

/** A file of random bytes written a MiB at a time (never held whole in memory). */
export async function randomFile(path: string, mib: number): Promise<string> {
  const handle = await open(path, 'w');
  try {
    for (let i = 0; i < mib; i += 1) await handle.write(randomBytes(MIB));
  } finally {
    await handle.close();
  }
  return path;
}
