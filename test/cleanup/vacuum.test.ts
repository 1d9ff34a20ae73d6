import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The embedded database has no autovacuum: the nightly cleanup vacuums the tables runs
 * rewrite, or years of claims and heartbeats leave dead rows for every count to scan. On
 * PostgreSQL that is autovacuum's (and its administrator's) job, so cleanup leaves it alone.
 */
describe(`cleanup-orphaned vacuums the embedded database (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-vacuum-'));
    config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ paths: { work: join(dir, 'work'), output: join(dir, 'out') } }));
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const lastVacuum = (): Promise<Date | null> =>
    testDb.use(async (db) => {
      const { rows } = await sql<{ at: Date | null }>`select last_vacuum as at from pg_stat_user_tables where relname = 'jobs'`.execute(db);
      return rows[0]?.at ?? null;
    });

  it(TEST_DB_KIND === 'pglite' ? 'after a real run, not a dry run' : 'never: autovacuum does it', async () => {
    const dry = await testDb.run(['--config', config, 'cleanup-orphaned', '--dry-run'], {});
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(await lastVacuum()).toBeNull();
    const run = await testDb.run(['--config', config, 'cleanup-orphaned'], {});
    expect(run.exitCode, run.stderr).toBe(0);
    if (TEST_DB_KIND === 'pglite') expect(await lastVacuum()).toBeInstanceOf(Date);
    else expect(await lastVacuum()).toBeNull();
  });
});
