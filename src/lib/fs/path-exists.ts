import { lstat } from 'node:fs/promises';
import { errnoCode } from '../errors.js';

/** Whether anything (even a dangling link) is at `path`; errors other than "not there" propagate. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}
