import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/lib/db/connect.js';
import type { Db } from '../../src/lib/db/schema.js';
import { runArchivist, spawnArchivist, type CliResult, type RunOptions } from './cli.js';

/**
 * Tests run against the embedded database by default and against a real PostgreSQL server
 * when ARCHIVIST_TEST_DB=postgres (CI runs both). Each test database is new and private.
 */
export const TEST_DB_KIND: 'postgres' | 'pglite' = process.env.ARCHIVIST_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

const ADMIN_URL = process.env.ARCHIVIST_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** Environment that points a command (in-process or spawned) at this database. */
  env: Record<string, string>;
  stateDir: string;
  /** The database, opened once and kept open: commands run in-process share it. */
  handle(): Promise<DatabaseHandle>;
  /** Runs `archivist <args>` in-process on the open database. */
  run(args: readonly string[], env: Record<string, string>, options?: Omit<RunOptions, 'database'>): Promise<CliResult>;
  /**
   * Runs a real `archivist` process to its end; the open handle is released first, since the
   * embedded database serves one process at a time. Tests that signal the process call
   * release() and spawnArchivist() themselves.
   */
  spawn(args: readonly string[], env: Record<string, string>, options?: { cwd?: string }): Promise<CliResult>;
  /** Runs `fn` on the open database. */
  use<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Closes the open handle (it is opened again on next use): before another process takes the embedded database. */
  release(): Promise<void>;
  drop(): Promise<void>;
}

/**
 * Puts a created, migrated, empty embedded database in `stateDir` (a copy of the suite's
 * template): for tests of what commands do with one rather than of creating it, which costs a
 * process seconds of CPU (PGlite's initdb) that foundation/embedded-create tests once.
 */
export async function copyEmbeddedTemplate(stateDir: string): Promise<void> {
  // cp(1), not fs.cp: node copies the template's thousand files one promise at a time, which
  // took two to four times as long, and the suite makes a database per file or per test.
  await mkdir(stateDir, { recursive: true });
  await execa('cp', ['-R', inject('pgliteTemplate'), join(stateDir, 'pglite')]);
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const stateDir = await mkdtemp(join(tmpdir(), 'archivist-test-state-'));
  let url: string | undefined;
  let name: string | undefined;
  if (TEST_DB_KIND === 'postgres') {
    name = `archivist_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const parsed = new URL(ADMIN_URL);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
  } else {
    await copyEmbeddedTemplate(stateDir);
  }
  let open: Promise<DatabaseHandle> | undefined;
  const handle = (): Promise<DatabaseHandle> => (open ??= openDatabase({ url, stateDir, embeddedLockWaitSeconds: 30 }));
  const release = async (): Promise<void> => {
    const current = open;
    open = undefined;
    if (current) await (await current).close();
  };
  const env: Record<string, string> = url ? { DATABASE_URL: url, ARCHIVIST_STATE_DIR: stateDir } : { ARCHIVIST_STATE_DIR: stateDir };
  return {
    env,
    stateDir,
    handle,
    run: async (args, extra, options = {}) => runArchivist(args, { ...env, ...extra }, { ...options, database: await handle() }),
    spawn: async (args, extra, options = {}) => {
      await release();
      const result = await spawnArchivist(args, { ...env, ...extra }, options);
      return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
    },
    use: async (fn) => fn((await handle()).db),
    release,
    async drop() {
      await release();
      if (name) {
        const admin = new pg.Client({ connectionString: ADMIN_URL });
        await admin.connect();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
