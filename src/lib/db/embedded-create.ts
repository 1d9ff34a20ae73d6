import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { errorMessage } from '../errors.js';
import { pathExists } from '../fs/path-exists.js';

/**
 * PGlite's settings for a single-user database inside a CLI. Its defaults are a server's:
 * `shared_buffers` 128 MB (allocated and touched inside the WebAssembly heap, which never
 * shrinks) and shared memory sized for 100 connections, when one process makes one connection
 * to a database of a few megabytes. 16 MB of buffers holds every table Archivist has many
 * times over; the rest is per-connection bookkeeping that a single backend does not need.
 */
export const EMBEDDED_SETTINGS: readonly string[] = [
  '-c',
  'shared_buffers=16MB',
  '-c',
  'wal_buffers=1MB',
  '-c',
  'max_connections=4',
  '-c',
  'maintenance_work_mem=16MB',
];

export const embeddedStartParams = (): string[] => [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS];

const CREATING = '.creating-';

/**
 * The child's whole program. It imports PGlite by the path this module resolves it to, so the
 * same code runs from dist/ and from the TypeScript sources under test.
 */
function creatorProgram(pgliteUrl: string): string {
  return [
    `const { PGlite } = await import(${JSON.stringify(pgliteUrl)});`,
    'const options = JSON.parse(process.argv[1]);',
    'const db = await PGlite.create(options);',
    'await db.close();',
  ].join('\n');
}

/**
 * Creates the embedded database's data directory when there is none. PGlite's initdb runs a
 * second PostgreSQL instance in memory, copies its whole heap, and tars the result into the
 * real one: about 700 MB at its peak, which a long-lived process keeps as its high-water
 * mark. So it runs once, in a child process that exits when done, into a temp directory
 * renamed into place, so a run stopped half-way leaves no half-made database. Callers hold
 * the embedded lock; the caller names the database in what it throws.
 */
export async function createEmbeddedDataDir(dataDir: string, signal?: AbortSignal): Promise<void> {
  if (await pathExists(join(dataDir, 'PG_VERSION'))) return;
  if ((await pathExists(dataDir)) && (await readdir(dataDir)).length > 0) {
    throw new Error(
      'the directory holds files but no database (no PG_VERSION); Archivist did not make it, so it is left alone: move it away',
    );
  }
  const parent = dirname(dataDir);
  const prefix = `${basename(dataDir)}${CREATING}`;
  // Under the lock no other creator is running: these are stopped runs' leftovers, named as only we name them.
  for (const name of await readdir(parent)) {
    if (name.startsWith(prefix)) await rm(join(parent, name), { recursive: true, force: true });
  }
  const temp = join(parent, `${prefix}${randomBytes(6).toString('hex')}`);
  const options = { dataDir: temp, startParams: embeddedStartParams(), initDbStartParams: [...EMBEDDED_SETTINGS] };
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          creatorProgram(pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href),
          JSON.stringify(options),
        ],
        { signal, maxBuffer: 1 << 20 },
        (error, _stdout, stderr) => {
          if (error) reject(new Error(stderr.trim() === '' ? errorMessage(error) : stderr.trim(), { cause: error }));
          else resolve();
        },
      );
    });
    await rename(temp, dataDir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw new Error(`creating it failed: ${errorMessage(error)}`, { cause: error });
  }
}
