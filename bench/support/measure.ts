import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import pg from 'pg';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/**
 * Preloaded into a measured process (`node --import data:...`): writes the process's own peak
 * RSS (VmHWM, KiB) and CPU time (user + system, ms) to $BENCH_PEAK_FILE as it exits.
 * /usr/bin/time reports the largest of the process and its children (the engine, ffmpeg),
 * which is not the figure wanted here.
 */
const PEAK_RSS = `data:text/javascript,${encodeURIComponent(
  [
    "import { readFileSync, writeFileSync } from 'node:fs';",
    "process.on('exit', () => {",
    "  const peak = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];",
    '  const cpu = process.cpuUsage();',
    '  if (peak) writeFileSync(process.env.BENCH_PEAK_FILE, peak + " " + String((cpu.user + cpu.system) / 1000));',
    '});',
  ].join('\n'),
)}`;

export interface ProcessRun {
  seconds: number;
  /** The process's own peak RSS (VmHWM), MiB. */
  peakMiB: number;
  /** The process's own CPU time, user and system, in seconds. */
  cpuSeconds: number;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` as its own process, measuring wall time and its own peak RSS. */
export async function measureNode(args: string[], env: Record<string, string | undefined> = {}): Promise<ProcessRun> {
  const dir = await mkdtemp(join(tmpdir(), 'archivist-bench-peak-'));
  const peakFile = join(dir, 'peak');
  try {
    const started = performance.now();
    const result = await execa(process.execPath, ['--import', PEAK_RSS, ...args], {
      env: { ...env, BENCH_PEAK_FILE: peakFile },
      reject: false,
      stdin: 'ignore',
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.exitCode !== 0) {
      throw new Error(`node ${args.join(' ')} exited ${String(result.exitCode)}: ${result.stderr.slice(-2000)}`);
    }
    const [peakKiB, cpuMs] = (await readFile(peakFile, 'utf8')).trim().split(' ').map(Number);
    return {
      seconds,
      peakMiB: (peakKiB ?? Number.NaN) / 1024,
      cpuSeconds: (cpuMs ?? Number.NaN) / 1000,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The machine's load at the time, for the figures' context (two cores, other work running). */
export async function loadAverage(): Promise<string> {
  return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
}

const ADMIN_URL = process.env.ARCHIVIST_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for one benchmark, or undefined (with the reason printed) when there is no server. */
export async function temporaryPostgres(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const name = `archivist_bench_${String(process.pid)}_${String(Date.now())}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (error) {
    console.log(`  (no PostgreSQL at ${ADMIN_URL}: ${error instanceof Error ? error.message : String(error)}; its figures are skipped)`);
    await admin.end().catch(() => undefined);
    return undefined;
  }
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: ADMIN_URL });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}
