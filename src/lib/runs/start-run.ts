import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export async function startRun(db: Kysely<Database>, command: string): Promise<number> {
  const row = await db.insertInto('runs').values({ command, host: hostname(), pid: process.pid }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
