import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * A recording named on the command line: its absolute path and facts, or the one-line problem
 * (naming it as given) that makes the command refuse it.
 */
export async function checkGivenFile(
  given: string,
  cwd: string,
): Promise<{ path: string; size: number; mtime: Date } | { problem: string }> {
  const path = resolve(cwd, given);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) return { problem: `${given}: ${info.code === 'ENOENT' ? 'no such file' : info.message}` };
  if (!info.isFile()) return { problem: `${given}: not a regular file` };
  return { path, size: info.size, mtime: info.mtime };
}
