import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely';
import { UnavailableError, errorMessage } from '../errors.js';
import { migrationProvider } from './migrations/index.js';

function migratorFor(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: 'archivist_migrations',
    migrationLockTableName: 'archivist_migrations_lock',
  });
}

/** Brings the schema up to date; Kysely's lock makes concurrent callers take turns. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<MigrationResult[]> {
  const { error, results } = await migratorFor(db as Kysely<unknown>).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new UnavailableError(`database migration ${failed?.migrationName ?? ''} failed: ${errorMessage(error)}`, 'database', {
      cause: error,
    });
  }
  return results ?? [];
}

/**
 * What every command does on start: one query for the migrations applied, and the migrator
 * (its tables, its lock, its bookkeeping: several round trips, and on the embedded database
 * code PGlite compiles on first use) only when one is missing. Any failure of the quick look
 * (no table yet) leaves the answer to the migrator, which reports real problems.
 */
export async function migrateIfBehind<T>(db: Kysely<T>): Promise<void> {
  const wanted = Object.keys(await migrationProvider.getMigrations());
  try {
    const applied = await sql<{ name: string }>`select name from archivist_migrations`.execute(db);
    // Exactly ours: a database that has one this build does not know goes to the migrator, which refuses it.
    const names = new Set(applied.rows.map((row) => row.name));
    if (names.size === wanted.length && wanted.every((name) => names.has(name))) return;
  } catch {
    // Falls through to the migrator.
  }
  await migrateToLatest(db);
}
