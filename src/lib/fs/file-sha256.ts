import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** One buffer, reused for every read: a stream's fresh 64 KiB per read waits for the GC. */
const readBytes = 1 << 20;

/** SHA-256 of a file read piece by piece: renditions and uploads are too big to hold in memory. */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, path, signal);
  return hash.digest('hex');
}

/** Feeds the whole file at `path` to `hash`, returning its size. */
export async function hashFileInto(hash: Hash, path: string, signal?: AbortSignal): Promise<number> {
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafeSlow(readBytes);
  let size = 0;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, readBytes, null);
      if (bytesRead === 0) return size;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
