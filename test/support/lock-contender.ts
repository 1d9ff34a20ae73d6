/**
 * One of several processes racing for the embedded database lock (test/foundation/
 * embedded-lock-race.test.ts). Told over IPC when to try, it takes the lock without waiting,
 * then writes "rows" with a read-modify-write that a second holder at the same time would
 * lose, or it opens the real embedded database and inserts rows there.
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { z } from 'zod';
import { openDatabase } from '../../src/lib/db/connect.js';
import { acquireEmbeddedLock } from '../../src/lib/db/embedded-lock.js';
import { UnavailableError, errorMessage } from '../../src/lib/errors.js';

const trialSchema = z.object({ kind: z.literal('trial'), dir: z.string(), goAt: z.number(), holdMs: z.number() });
const databaseSchema = z.object({ kind: z.literal('database'), stateDir: z.string(), goAt: z.number(), rows: z.number() });
const messageSchema = z.discriminatedUnion('kind', [trialSchema, databaseSchema]);

export interface ContenderReport {
  held: boolean;
  /** Another holder was inside at the same time. */
  overlap: boolean;
  error?: string;
}

const rowsSchema = z.array(z.number());

async function trial({ dir, goAt, holdMs }: z.infer<typeof trialSchema>): Promise<ContenderReport> {
  await sleep(Math.max(0, goAt - Date.now()));
  let lock;
  try {
    lock = await acquireEmbeddedLock(join(dir, 'pglite.lock'), 0);
  } catch (error) {
    if (error instanceof UnavailableError) return { held: false, overlap: false };
    throw error;
  }
  const inside = join(dir, 'inside');
  let overlap = false;
  try {
    await writeFile(inside, String(process.pid), { flag: 'wx' });
  } catch {
    overlap = true;
  }
  const rowsFile = join(dir, 'rows.json');
  const rows = rowsSchema.parse(JSON.parse(await readFile(rowsFile, 'utf8')));
  await sleep(holdMs);
  await writeFile(rowsFile, JSON.stringify([...rows, process.pid]));
  if (!overlap) await unlink(inside);
  await lock.release();
  return { held: true, overlap };
}

async function insertRows({ stateDir, goAt, rows }: z.infer<typeof databaseSchema>): Promise<ContenderReport> {
  await sleep(Math.max(0, goAt - Date.now()));
  const handle = await openDatabase({ stateDir, embeddedLockWaitSeconds: 600, migrate: false });
  try {
    await sql`create table if not exists lock_rows (pid integer not null, n integer not null)`.execute(handle.db);
    for (let n = 0; n < rows; n += 1) await sql`insert into lock_rows (pid, n) values (${process.pid}, ${n})`.execute(handle.db);
  } finally {
    await handle.close();
  }
  return { held: true, overlap: false };
}

process.on('message', (raw: unknown) => {
  const message = messageSchema.parse(raw);
  (message.kind === 'trial' ? trial(message) : insertRows(message)).then(
    (report) => process.send?.(report),
    (error: unknown) => process.send?.({ held: false, overlap: false, error: errorMessage(error) } satisfies ContenderReport),
  );
});
process.send?.('ready');
