/**
 * Whole-process wall time of `archivist status` from the built CLI, on the embedded database
 * and on PostgreSQL (each made and migrated first, so what is measured is a start-up, not a
 * creation), against a bare `node -e 0` measured in the same run. Targets: at most 1.0 s
 * embedded, 0.4 s on PostgreSQL.
 *
 *   npm run build && npx tsx bench/status.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, loadAverage, measureNode, median, temporaryPostgres } from './support/measure.js';

const ROUNDS = 9;

/** Median wall time and peak RSS of ROUNDS runs after one warm-up (the first start reads the files from disk). */
async function medianRun(args: string[], env: Record<string, string | undefined>): Promise<{ seconds: number; peakMiB: number }> {
  await measureNode(args, env);
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await measureNode(args, env));
  return { seconds: median(runs.map((r) => r.seconds)), peakMiB: median(runs.map((r) => r.peakMiB)) };
}

const work = await mkdtemp(join(tmpdir(), 'archivist-bench-status-'));
const postgres = await temporaryPostgres();
try {
  const embedded = { ...process.env, DATABASE_URL: undefined, ARCHIVIST_STATE_DIR: join(work, 'embedded') };
  await measureNode([CLI, 'db', 'migrate'], embedded);
  const onPostgres = postgres && { ...process.env, DATABASE_URL: postgres.url, ARCHIVIST_STATE_DIR: join(work, 'pg-state') };
  if (onPostgres) await measureNode([CLI, 'db', 'migrate'], onPostgres);

  const baseline = await medianRun(['-e', '0'], process.env);
  console.log(
    `status start-up benchmark: median of ${String(ROUNDS)} whole-process runs, load average ${await loadAverage()}; ` +
      `baseline node -e 0 = ${baseline.seconds.toFixed(3)} s`,
  );
  for (const [label, env, target] of [
    ['status, embedded database', embedded, 1.0],
    ['status, PostgreSQL', onPostgres, 0.4],
  ] as const) {
    if (!env) continue;
    const run = await medianRun([CLI, 'status'], env);
    console.log(
      `  ${label.padEnd(26)} ${run.seconds.toFixed(3)} s = ${(run.seconds / baseline.seconds).toFixed(1)}x node -e 0; ` +
        `peak RSS ${run.peakMiB.toFixed(0)} MiB; target <= ${target.toFixed(1)} s: ${run.seconds <= target ? 'met' : 'MISSED'}`,
    );
  }
} finally {
  await postgres?.drop();
  await rm(work, { recursive: true, force: true });
}
