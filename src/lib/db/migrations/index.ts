import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';

/**
 * The migration list, in order. A plain list (not a directory scan) so that the compiled
 * package and the TypeScript sources see the same migrations with no file-system lookup.
 */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
