import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { UnavailableError, errorMessage } from '../errors.js';
import { redactUrl } from '../text/redact-secrets.js';
import { migrateIfBehind } from './migrate.js';
import type { Database } from './schema.js';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from './timeouts.js';

const INT8_OID = 20;
const DATE_OID = 1082;

/** Sizes fit in 2^53; dates stay 'YYYY-MM-DD' strings so no time zone shifts them. */
const parsers = {
  [INT8_OID]: (value: string) => Number(value),
  [DATE_OID]: (value: string) => value,
};

/** node-postgres's parsers with ours on top (the others fall through to pg.types). */
function postgresTypes(TypeOverrides: typeof pg.TypeOverrides): pg.TypeOverrides {
  const types = new TypeOverrides();
  types.setTypeParser(INT8_OID, parsers[INT8_OID]);
  types.setTypeParser(DATE_OID, parsers[DATE_OID]);
  return types;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'embedded';
  /** Where it is, safe to print (no password). */
  location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  url?: string | undefined;
  stateDir: string;
  embeddedLockWaitSeconds: number;
  /** PostgreSQL only (config `database`); the defaults when not given. */
  timeouts?: DatabaseTimeouts;
  migrate?: boolean;
  /** The command's stop signal: waits for the embedded lock end, and database calls get one last short try. */
  signal?: AbortSignal;
}

/**
 * Each kind of database loads only its own driver: PGlite and its dialect, or pg. Start-up is
 * part of every command (`status` must answer in well under a second), and neither driver is
 * small.
 */
async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const [{ default: pgModule }, { BoundedPool }] = await Promise.all([import('pg'), import('./bounded-pool.js')]);
  const pool = new BoundedPool({
    connectionString: url,
    timeouts: options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS,
    types: postgresTypes(pgModule.TypeOverrides),
    signal: options.signal,
  });
  try {
    await pool.check();
  } catch (error) {
    await pool.end();
    const reason = error instanceof UnavailableError && error.cause !== undefined ? error.cause : error;
    throw new UnavailableError(`cannot connect to the database at ${redactUrl(url)}: ${errorMessage(reason)}`, 'database', {
      cause: error,
    });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', location: redactUrl(url), close: () => db.destroy() };
}

async function openEmbedded(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const dataDir = join(options.stateDir, 'pglite');
  try {
    await mkdir(options.stateDir, { recursive: true });
  } catch (error) {
    throw new UnavailableError(`cannot create the state directory ${options.stateDir}: ${errorMessage(error)}`, 'database', {
      cause: error,
    });
  }
  const [{ PGlite }, { PGliteDialect }, { acquireEmbeddedLock }, { createEmbeddedDataDir, embeddedStartParams }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('kysely-pglite-dialect'),
    import('./embedded-lock.js'),
    import('./embedded-create.js'),
  ]);
  const lock = await acquireEmbeddedLock(join(options.stateDir, 'pglite.lock'), options.embeddedLockWaitSeconds, options.signal);
  let client: PGlite;
  try {
    await createEmbeddedDataDir(dataDir, { migrate: options.migrate ?? true, signal: options.signal });
    client = await PGlite.create({ dataDir, parsers, startParams: embeddedStartParams() });
  } catch (error) {
    await lock.release();
    throw new UnavailableError(`cannot open the embedded database in ${dataDir}: ${errorMessage(error)}`, 'database', { cause: error });
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: 'embedded',
    location: dataDir,
    close: async () => {
      try {
        await db.destroy();
        if (!client.closed) await client.close();
      } finally {
        await lock.release();
      }
    },
  };
}

/** PostgreSQL when a URL is configured, otherwise the embedded database in the state dir. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.url ? await openPostgres(options.url, options) : await openEmbedded(options);
  if (options.migrate ?? true) {
    try {
      await migrateIfBehind(handle.db);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  return handle;
}

/** Which database a configuration points at, safe to print. */
export function describeDatabase(options: { url?: string | undefined; stateDir: string }): {
  kind: 'postgres' | 'embedded';
  location: string;
} {
  return options.url
    ? { kind: 'postgres', location: redactUrl(options.url) }
    : { kind: 'embedded', location: join(options.stateDir, 'pglite') };
}
