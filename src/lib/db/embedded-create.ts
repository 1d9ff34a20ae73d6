import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { z } from 'zod';
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

/** What the parent asks of the child, as JSON in its one argument. */
export const creationRequest = z.strictObject({
  dataDir: z.string().min(1),
  startParams: z.array(z.string()),
  initDbStartParams: z.array(z.string()),
  /** Also apply the migrations (every command but `db migrate`, which reports what it applies). */
  migrate: z.boolean(),
});
export type CreationRequest = z.infer<typeof creationRequest>;

/**
 * How to start the child (embedded-create-child): its file beside this one, so the same code
 * runs from dist/ and from the TypeScript sources, which the test suite runs in-process and
 * node loads only through tsx.
 */
function childCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  const child = join(dirname(here), `embedded-create-child${extname(here)}`);
  if (extname(here) !== '.ts') return [child];
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, child];
}

/**
 * Creates the embedded database's data directory when there is none. PGlite's initdb runs a
 * second PostgreSQL instance in memory, copies its whole heap, and tars the result into the
 * real one: about 700 MB at its peak, which a long-lived process keeps as its high-water
 * mark. So it runs once, in a child process that exits when done, into a temp directory
 * renamed into place, so a run stopped half-way leaves no half-made database. With `migrate`
 * the child also applies the migrations, which would otherwise add about 55 MiB to the
 * command's own peak (bench/memory.ts). Callers hold the embedded lock; the caller names the
 * database in what it throws.
 */
export async function createEmbeddedDataDir(
  dataDir: string,
  options: { migrate: boolean; signal?: AbortSignal | undefined },
): Promise<void> {
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
  const request: CreationRequest = {
    dataDir: temp,
    startParams: embeddedStartParams(),
    initDbStartParams: [...EMBEDDED_SETTINGS],
    migrate: options.migrate,
  };
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [...childCommand(), JSON.stringify(request)],
        { signal: options.signal, maxBuffer: 1 << 20 },
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
