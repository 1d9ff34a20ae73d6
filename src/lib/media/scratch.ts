import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Scratch directories start with this, so cleanup can recognise ones left by a killed run. */
export const SCRATCH_DIR_PREFIX = '.archivist-scratch-';

/**
 * Runs `work` with a fresh directory under `workRoot` (config `paths.work`) and removes the
 * directory afterwards, whether `work` succeeded or threw.
 */
export async function withScratchDir<T>(workRoot: string, work: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(workRoot, { recursive: true });
  const dir = await mkdtemp(join(workRoot, SCRATCH_DIR_PREFIX));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
