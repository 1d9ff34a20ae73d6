import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Scratch directories start with this, so cleanup can recognise ones left by a killed run. */
export const SCRATCH_DIR_PREFIX = '.archivist-scratch-';

export interface ScratchDir {
  path: string;
  /** Removes the directory and everything in it; safe to call more than once. */
  remove: () => Promise<void>;
}

/** A fresh directory under `workRoot` (config `paths.work`), for work whose end is not one call (`withScratchDir`). */
export async function makeScratchDir(workRoot: string): Promise<ScratchDir> {
  await mkdir(workRoot, { recursive: true });
  const path = await mkdtemp(join(workRoot, SCRATCH_DIR_PREFIX));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Runs `work` with a fresh directory under `workRoot` (config `paths.work`) and removes the
 * directory afterwards, whether `work` succeeded or threw.
 */
export async function withScratchDir<T>(workRoot: string, work: (dir: string) => Promise<T>): Promise<T> {
  const scratch = await makeScratchDir(workRoot);
  try {
    return await work(scratch.path);
  } finally {
    await scratch.remove();
  }
}
