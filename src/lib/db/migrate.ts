import { Migrator, type Kysely, type MigrationResult } from 'kysely';
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
