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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await compileForProcesses();
  const dir = await mkdtemp(join(tmpdir(), 'archivist-pglite-template-'));
  const handle = await openDatabase({ stateDir: dir, embeddedLockWaitSeconds: 0 });
  await handle.close();
  project.provide('pgliteTemplate', join(dir, 'pglite'));
  return () => rm(dir, { recursive: true, force: true });
}
