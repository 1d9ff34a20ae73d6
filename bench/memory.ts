/**
 * Peak RSS of the archivist process (VmHWM, children not counted) transcribing a batch of
 * three 1-hour recordings with the stub whisper.cpp engine, which puts about 7,600 timed words
 * on each hour: on the embedded database created by that first run, on the embedded database
 * again (it exists), and on PostgreSQL. The baselines, measured in the same run, are the same
 * batch on PostgreSQL and node's own start (`node -e 0`). Target: at most 300 MiB embedded.
 *
 *   npm run build && npx tsx bench/memory.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STUB_BIN } from '../test/support/engines/stub-engines.js';
import { councilBatch } from './support/recordings.js';
import { CLI, loadAverage, measureNode, temporaryPostgres, type ProcessRun } from './support/measure.js';

const HOURS = Number(process.env.BENCH_MEMORY_HOURS ?? '1');
const TARGET_MIB = 300;

const work = await mkdtemp(join(tmpdir(), 'archivist-bench-memory-'));
try {
  const { files, model } = await councilBatch(work, HOURS);
  const env = (stateDir: string, extra: Record<string, string> = {}): Record<string, string | undefined> => ({
    ...process.env,
    DATABASE_URL: undefined,
    PATH: `${STUB_BIN}:${process.env.PATH ?? ''}`,
    ARCHIVIST_STATE_DIR: stateDir,
    ARCHIVIST_OUTPUT_DIR: join(stateDir, 'output'),
    ...extra,
  });
  const batch = (outDir: string, force: boolean): string[] => [
    CLI,
    'transcribe',
    ...files,
    '--out',
    outDir,
    '--model',
    model,
    ...(force ? ['--force'] : []),
  ];

  const idle = await measureNode(['-e', '0']);
  const embeddedState = join(work, 'embedded');
  const embeddedFirst = await measureNode(batch(join(work, 'out-embedded-1'), false), env(embeddedState));
  const embeddedAgain = await measureNode(batch(join(work, 'out-embedded-2'), true), env(embeddedState));
  const postgres = await temporaryPostgres();
  let onPostgres: ProcessRun | undefined;
  try {
    if (postgres)
      onPostgres = await measureNode(batch(join(work, 'out-postgres'), false), env(join(work, 'pg-state'), { DATABASE_URL: postgres.url }));
  } finally {
    await postgres?.drop();
  }

  console.log(`memory benchmark: 3 x ${String(HOURS)} h recordings, stub whisper-cli, load average ${await loadAverage()}`);
  console.log(`  node -e 0:                            ${idle.peakMiB.toFixed(0)} MiB`);
  const line = (label: string, run: ProcessRun, target?: number): void => {
    const vsPg = onPostgres ? `, ${(run.peakMiB / onPostgres.peakMiB).toFixed(2)}x PostgreSQL` : '';
    const verdict = target === undefined ? '' : `; target <= ${String(target)} MiB: ${run.peakMiB <= target ? 'met' : 'MISSED'}`;
    console.log(
      `  ${label.padEnd(37)} ${run.peakMiB.toFixed(0)} MiB peak = ${(run.peakMiB / idle.peakMiB).toFixed(1)}x node${vsPg}; ${run.seconds.toFixed(1)} s${verdict}`,
    );
  };
  line('embedded, first run (creates the db):', embeddedFirst, TARGET_MIB);
  line('embedded, again (--force):', embeddedAgain, TARGET_MIB);
  if (onPostgres) line('PostgreSQL:', onPostgres);
} finally {
  await rm(work, { recursive: true, force: true });
}
