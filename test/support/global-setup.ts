import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/lib/db/connect.js';
import { TEST_BUILD } from './compiled.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** src/ and test/support/ as JavaScript for spawned processes (see compiled.ts). */
async function compileForProcesses(): Promise<void> {
  const entryPoints: string[] = [];
  for (const dir of ['src', join('test', 'support')]) {
    for (const name of await readdir(join(REPO, dir), { recursive: true })) {
      if (name.endsWith('.ts') && !name.endsWith('.d.ts')) entryPoints.push(join(REPO, dir, name));
    }
  }
  await rm(TEST_BUILD, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: TEST_BUILD,
    outbase: REPO,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated, empty embedded database that each test copies instead of running initdb again. */
    pgliteTemplate: string;
  }
}

/** The template's state dir: its embedded database created (in a child process) and migrated. */
async function createTemplate(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'archivist-pglite-template-'));
  const handle = await openDatabase({ stateDir: dir, embeddedLockWaitSeconds: 0 });
  await handle.close();
  return dir;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Side by side: esbuild and PGlite's initdb run in processes of their own, and no test starts
  // before both are done.
  const [, dir] = await Promise.all([compileForProcesses(), createTemplate()]);
  project.provide('pgliteTemplate', join(dir, 'pglite'));
  return () => rm(dir, { recursive: true, force: true });
}
