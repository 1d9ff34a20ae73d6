import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/lib/db/connect.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated, empty embedded database that each test copies instead of running initdb again. */
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'archivist-pglite-template-'));
  const handle = await openDatabase({ stateDir: dir, embeddedLockWaitSeconds: 0 });
  await handle.close();
  project.provide('pgliteTemplate', join(dir, 'pglite'));
  return () => rm(dir, { recursive: true, force: true });
}
