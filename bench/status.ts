/**
 * Whole-process wall time and peak RSS of `archivist status` and `archivist status --json` from
 * the built CLI, on the embedded database and on PostgreSQL, each both empty (made and migrated
 * first, so what is measured is a start-up, not a creation) and populated with five years of a
 * consortium station's nightly runs (test/support/station.ts: 54,780 recordings, their
 * 280,000 jobs, transcripts, passages, artifacts and links, 31,000 runs), against a bare
 * `node -e 0` measured in the same run. Targets: empty, at most 1.0 s embedded and 0.4 s on
 * PostgreSQL; populated, at most 1.5 s embedded and 0.8 s on PostgreSQL.
 *
 * The populated PostgreSQL database is vacuumed and analysed after seeding, as autovacuum
 * would have done over five years; the embedded one is not, since nothing vacuums it (PGlite
 * runs PostgreSQL single-user, without autovacuum).
 *
 *   npm run build && npx tsx bench/status.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/lib/db/connect.js';
import { FIVE_YEARS, PER_NIGHT, SITES, stationSeed } from '../test/support/station.js';
import { CLI, loadAverage, measureNode, median, temporaryPostgres, type ProcessRun } from './support/measure.js';

const ROUNDS = 9;

interface Case {
  label: string;
  env: Record<string, string | undefined>;
  target: number;
  /** The empty database of the same kind, to compare the populated one with. */
  empty?: Case;
}

/** Median wall time and peak RSS of ROUNDS runs after one warm-up (the first start reads the files from disk). */
async function medianRun(args: string[], env: Record<string, string | undefined>): Promise<{ seconds: number; peakMiB: number }> {
  await measureNode(args, env);
  const runs: ProcessRun[] = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await measureNode(args, env));
  return { seconds: median(runs.map((r) => r.seconds)), peakMiB: median(runs.map((r) => r.peakMiB)) };
}

/** Runs the seed's statements one by one; how long they took, in seconds. */
async function seed(run: (statement: string) => Promise<unknown>): Promise<number> {
  const started = Date.now();
  for (const statement of stationSeed({ nights: FIVE_YEARS })) await run(statement);
  return (Date.now() - started) / 1000;
}

async function seedPostgres(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const seconds = await seed((statement) => client.query(statement));
    await client.query('vacuum analyze');
    return `${seconds.toFixed(0)} s, ${await sizes(async (statement) => (await client.query<Record<string, unknown>>(statement)).rows)}`;
  } finally {
    await client.end();
  }
}

async function seedEmbedded(stateDir: string): Promise<string> {
  const handle = await openDatabase({ stateDir, embeddedLockWaitSeconds: 10 });
  try {
    const query = async (statement: string) => (await sql.raw<Record<string, unknown>>(statement).execute(handle.db)).rows;
    const seconds = await seed(query);
    return `${seconds.toFixed(0)} s, ${await sizes(query)}`;
  } finally {
    await handle.close();
  }
}

/** Rows and on-disk size (with indexes and TOAST) of each table. */
async function sizes(query: (statement: string) => Promise<Record<string, unknown>[]>): Promise<string> {
  const tables = ['media', 'jobs', 'transcripts', 'transcript_passages', 'links', 'artifacts', 'caption_edits', 'runs'];
  const parts: string[] = [];
  let total = 0;
  for (const table of tables) {
    const [row] = await query(`select count(*)::int as rows, pg_total_relation_size('${table}')::bigint as bytes from ${table}`);
    const bytes = Number(row?.bytes);
    total += bytes;
    parts.push(`${table} ${Number(row?.rows).toLocaleString('en')} (${(bytes / 2 ** 20).toFixed(0)} MiB)`);
  }
  return `${(total / 2 ** 20).toFixed(0)} MiB: ${parts.join(', ')}`;
}

const work = await mkdtemp(join(tmpdir(), 'archivist-bench-status-'));
const postgres = await temporaryPostgres();
const populatedPostgres = await temporaryPostgres();
try {
  const embedded = (name: string) => ({ ...process.env, DATABASE_URL: undefined, ARCHIVIST_STATE_DIR: join(work, name) });
  const onPostgres = (url: string | undefined, name: string) =>
    url && { ...process.env, DATABASE_URL: url, ARCHIVIST_STATE_DIR: join(work, name) };
  const cases: Case[] = [];
  const emptyEmbedded: Case = { label: 'embedded, empty', env: embedded('embedded'), target: 1.0 };
  cases.push(emptyEmbedded, { label: 'embedded, 5 years', env: embedded('embedded-populated'), target: 1.5, empty: emptyEmbedded });
  const emptyPgEnv = onPostgres(postgres?.url, 'pg-state');
  const populatedPgEnv = onPostgres(populatedPostgres?.url, 'pg-populated-state');
  if (emptyPgEnv && populatedPgEnv) {
    const emptyPg: Case = { label: 'PostgreSQL, empty', env: emptyPgEnv, target: 0.4 };
    cases.push(emptyPg, { label: 'PostgreSQL, 5 years', env: populatedPgEnv, target: 0.8, empty: emptyPg });
  }
  for (const c of cases) await measureNode([CLI, 'db', 'migrate'], c.env);

  console.log(
    `status benchmark: the populated databases hold ${String(FIVE_YEARS)} nights x ${String(PER_NIGHT)} recordings ` +
      `across ${String(SITES.length)} sites (test/support/station.ts)`,
  );
  console.log(`  seeded embedded:   ${await seedEmbedded(join(work, 'embedded-populated'))}`);
  if (populatedPostgres) console.log(`  seeded PostgreSQL: ${await seedPostgres(populatedPostgres.url)}`);

  const baseline = await medianRun(['-e', '0'], process.env);
  console.log(
    `  median of ${String(ROUNDS)} whole-process runs, load average ${await loadAverage()}; ` +
      `baseline node -e 0 = ${baseline.seconds.toFixed(3)} s, ${baseline.peakMiB.toFixed(0)} MiB`,
  );
  const measured = new Map<string, { seconds: number; peakMiB: number }>();
  for (const c of cases) {
    for (const json of [false, true]) {
      const run = await medianRun([CLI, ...(json ? ['--json'] : []), 'status'], c.env);
      const key = `${c.label}${json ? ' --json' : ''}`;
      measured.set(key, run);
      const empty = c.empty && measured.get(`${c.empty.label}${json ? ' --json' : ''}`);
      const vsEmpty = empty ? `, ${(run.seconds / empty.seconds).toFixed(2)}x empty` : '';
      console.log(
        `  ${`status${json ? ' --json' : ''}, ${c.label}`.padEnd(36)} ${run.seconds.toFixed(3)} s = ` +
          `${(run.seconds / baseline.seconds).toFixed(1)}x node -e 0${vsEmpty}; peak RSS ${run.peakMiB.toFixed(0)} MiB; ` +
          `target <= ${c.target.toFixed(1)} s: ${run.seconds <= c.target ? 'met' : 'MISSED'}`,
      );
    }
  }
} finally {
  await postgres?.drop();
  await populatedPostgres?.drop();
  await rm(work, { recursive: true, force: true });
}
