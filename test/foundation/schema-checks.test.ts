import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_KINDS, JOB_STATES } from '../../src/lib/db/schema.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * What the migrated database allows in a checked column is what the code's types say it
 * holds: a value only the database allows is one nothing writes (0005 let the artifact kind
 * `scratch` back in); one only the code allows would fail at the first insert.
 */
describe(`the migrated database's checks match the code's types (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  const allowed = (constraint: string): Promise<string[]> =>
    testDb.use(async (db) => {
      const { rows } = await sql<{ def: string }>`
        select pg_get_constraintdef(oid) as def from pg_constraint where conname = ${constraint}`.execute(db);
      const def = rows[0]?.def ?? '';
      return [...def.matchAll(/'([^']+)'::text/g)].map((m) => m[1] ?? '').sort();
    });

  it('artifacts.kind', async () => {
    expect(await allowed('artifacts_kind_check')).toEqual([...ARTIFACT_KINDS].sort());
  });

  it('jobs.state', async () => {
    expect(await allowed('jobs_state_check')).toEqual([...JOB_STATES].sort());
  });
});
