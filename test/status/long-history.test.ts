import { CompiledQuery, sql, type KyselyPlugin, type PluginTransformQueryArgs } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db/schema.js';
import { collectStatus, LAST_DAY_LISTED } from '../../src/lib/status/collect-status.js';
import type { StatusReport } from '../../src/lib/status/status-model.js';
import { timerLines } from '../../src/lib/status/timer-lines.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { PER_NIGHT, stationSeed } from '../support/station.js';

const NIGHTS = 40;

/** Tables that gain rows every night, however long the station has run Archivist. */
const GROWING = ['jobs', 'transcripts', 'artifacts', 'runs'];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows a plan read from `table`: what its scans of it returned and what their filters threw away, over every loop. */
function rowsRead(node: PlanNode, table: string): number {
  const own =
    node['Relation Name'] === table
      ? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * node['Actual Loops']
      : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child, table), 0);
}

/** The queries `db` is asked while `work` runs. */
async function queriesOf(db: Db, work: (db: Db) => Promise<unknown>): Promise<CompiledQuery[]> {
  const seen: PluginTransformQueryArgs[] = [];
  const recorder: KyselyPlugin = {
    transformQuery: (args) => {
      seen.push(args);
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  await work(db.withPlugin(recorder));
  return seen.map(({ node, queryId }) => db.getExecutor().compileQuery(node, queryId));
}

async function planOf(db: Db, query: CompiledQuery): Promise<PlanNode> {
  const result = await db.executeQuery<{ 'QUERY PLAN': unknown }>(
    CompiledQuery.raw(`explain (analyze, format json) ${query.sql}`, [...query.parameters]),
  );
  const cell = result.rows[0]?.['QUERY PLAN'];
  const plans = (typeof cell === 'string' ? JSON.parse(cell) : cell) as { Plan: PlanNode }[];
  const plan = plans[0]?.Plan;
  if (!plan) throw new Error(`no plan for ${query.sql}`);
  return plan;
}

/**
 * A station's database after some weeks of nights (test/support/station.ts): status must
 * answer from the rows it shows, which stay the same however many nights there are, and never
 * by reading every job, transcript, artifact and run (bench/status.ts measures five years).
 */
describe('status on a database with a long history', () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await testDb.use(async (db) => {
      // One session: the seed's working tables are temporary.
      await db.transaction().execute(async (trx) => {
        for (const statement of stationSeed({ nights: NIGHTS, words: 40 })) await sql.raw(statement).execute(trx);
      });
      // The planner's statistics, as PostgreSQL's autovacuum keeps them.
      await sql`analyze`.execute(db);
    });
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('reads at most about what it shows from the tables that grow every night; only the jobs by kind and state count every job', async () => {
    await testDb.use(async (db) => {
      const jobs = await db
        .selectFrom('jobs')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      expect(jobs.n).toBeGreaterThan(NIGHTS * PER_NIGHT * 4);
      const queries = await queriesOf(db, async (recorded) => {
        await collectStatus(recorded, { kind: 'test', location: 'test' });
        await timerLines(recorded, Promise.resolve([null, null, null]));
      });
      const counted = queries.filter((q) => q.sql.includes('group by "kind", "state"'));
      expect(counted).toHaveLength(1);
      const read: { query: string; table: string; rows: number }[] = [];
      for (const query of queries) {
        if (counted.includes(query)) continue;
        const plan = await planOf(db, query);
        for (const table of GROWING) read.push({ query: query.sql, table, rows: rowsRead(plan, table) });
      }
      // A night is 30 recordings, and status shows at most LAST_DAY_LISTED of them with their four caption files.
      expect(read.filter((r) => r.rows > 100)).toEqual([]);
    });
  });

  it('gives each command its latest run, as distinct on (command) does', async () => {
    await testDb.use(async (db) => {
      const report = await collectStatus(db, { kind: 'test', location: 'test' });
      const expected = await sql<{ command: string; started_at: Date }>`
        select distinct on (command) command, started_at from runs order by command, started_at desc`.execute(db);
      expect(report.lastRuns.map((r) => [r.command, r.startedAt.toISOString()])).toEqual(
        expected.rows.map((r) => [r.command, r.started_at.toISOString()]),
      );
      expect(report.lastRuns.map((r) => r.command)).toEqual([
        'cleanup-orphaned',
        'jobs',
        'link-queue',
        'process-recent-vods',
        'report',
        'status',
      ]);
    });
  });

  it(`lists the newest ${String(LAST_DAY_LISTED)} recordings captioned in the last 24 h and says how many more there are`, async () => {
    const captioned = await testDb.use(async (db) =>
      db
        .selectFrom('jobs')
        .leftJoin('transcripts', 'transcripts.media_id', 'jobs.media_id')
        .select(['jobs.media_id', 'jobs.finished_at'])
        .where('jobs.kind', '=', 'captions')
        .where('jobs.state', '=', 'succeeded')
        .where('jobs.finished_at', '>=', new Date(Date.now() - 86_400_000))
        .where((eb) => eb.or([eb('transcripts.no_speech', '=', false), eb('transcripts.no_speech', 'is', null)]))
        .orderBy('jobs.finished_at', 'desc')
        .execute(),
    );
    expect(captioned.length).toBeGreaterThan(LAST_DAY_LISTED);
    const leftOut = captioned.length - LAST_DAY_LISTED;

    const json = await testDb.run(['--json', 'status'], {});
    expect(json.exitCode, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as StatusReport;
    expect(report.captions.lastDay.map((r) => r.mediaId)).toEqual(captioned.slice(0, LAST_DAY_LISTED).map((r) => r.media_id));
    expect(report.captions.lastDayLeftOut).toBe(leftOut);
    expect(report.captions.lastDay.every((r) => r.files.length >= 3)).toBe(true);

    const text = await testDb.run(['status'], {});
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain(
      `… ${String(leftOut)} more captioned in the last 24 h not listed here; \`archivist report\` lists them all`,
    );
  });
});
