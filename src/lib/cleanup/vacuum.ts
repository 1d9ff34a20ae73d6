import { sql } from 'kysely';
import type { Db } from '../db/schema.js';

/**
 * The tables every run rewrites (claims, heartbeats, outcomes, pruning): PostgreSQL's
 * autovacuum keeps them compact and their statistics current, but the embedded database has
 * none, and after years of nightly runs its dead rows are what a `status` count scans.
 */
const CHURNING_TABLES = ['jobs', 'runs', 'media', 'artifacts', 'links', 'transcripts', 'transcript_passages'] as const;

/** Reclaims the dead rows of the tables runs rewrite and refreshes their planner statistics. */
export async function vacuumTables(db: Db): Promise<void> {
  await sql`vacuum (analyze) ${sql.join(CHURNING_TABLES.map((table) => sql.table(table)))}`.execute(db);
}
