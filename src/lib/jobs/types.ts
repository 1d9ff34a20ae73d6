import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** A database or a transaction on it: every job operation can run inside a caller's transaction. */
export type Db = Kysely<Database>;

export interface BackoffSettings {
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
}
