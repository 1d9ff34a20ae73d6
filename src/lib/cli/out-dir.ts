import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, errorMessage } from '../errors.js';

/** An --out directory, made if missing; one that cannot be made is a usage error naming it. */
export async function ensureOutDir(given: string, cwd: string): Promise<string> {
  const dir = resolve(cwd, given);
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw new UsageError(`cannot create --out ${given}: ${errorMessage(error)}`, [], { cause: error });
  });
  return dir;
}
