import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/lib/db/connect.js';
import type { Database } from '../../src/lib/db/schema.js';

/**
 * Tests run against the embedded database by default and against a real PostgreSQL server
 * when ARCHIVIST_TEST_DB=postgres (CI runs both). Each test database is new and private.
 */
export const TEST_DB_KIND: 'postgres' | 'pglite' = process.env.ARCHIVIST_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

const ADMIN_URL = process.env.ARCHIVIST_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** Environment that points a spawned `archivist` at this database. */
  env: Record<string, string>;
  stateDir: string;
  /** Opens the database in this process (for PGlite: close it before spawning a CLI on it). */
  open(): Promise<DatabaseHandle>;
  /** open(), run, close. */
  use<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
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
    await cp(inject('pgliteTemplate'), join(stateDir, 'pglite'), { recursive: true });
  }
  const open = () => openDatabase({ ...(url ? { url } : {}), stateDir, embeddedLockWaitSeconds: 30 });
  return {
    env: url ? { DATABASE_URL: url, ARCHIVIST_STATE_DIR: stateDir } : { ARCHIVIST_STATE_DIR: stateDir },
    stateDir,
    open,
    async use(fn) {
      const handle = await open();
      try {
        return await fn(handle.db);
      } finally {
        await handle.close();
      }
    },
    async drop() {
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
