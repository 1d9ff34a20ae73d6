import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errnoCode, errorMessage } from '../errors.js';

/**
 * A recording named on the command line: its absolute path and facts, or the one-line problem
 * (naming it as given) that makes the command refuse it.
 */
export async function checkGivenFile(
  given: string,
  cwd: string,
): Promise<{ path: string; size: number; mtime: Date } | { problem: string }> {
  const path = resolve(cwd, given);
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    return { problem: `${given}: ${errnoCode(error) === 'ENOENT' ? 'no such file' : errorMessage(error)}` };
  }
  if (!info.isFile()) return { problem: `${given}: not a regular file` };
  return { path, size: info.size, mtime: info.mtime };
}
