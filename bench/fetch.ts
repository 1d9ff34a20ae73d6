/**
 * Download throughput and peak memory of the built download code (dist/lib/fetch/download.js,
 * in plain node: no tsx) against `curl | sha256sum`, both fetching the same 1 GiB file from the
 * same local server (the Cablecast test server, serving from disk). Archivist hashes while it
 * streams, as curl's pipe does, and also writes the file. Targets: at least 0.9x curl's
 * throughput, whole process; at most 100 MiB peak RSS.
 *
 *   npm run build && npx tsx bench/fetch.ts            # 1 GiB (the default)
 *   BENCH_FETCH_MIB=256 npx tsx bench/fetch.ts
 *
 * Each download runs in its own process so its peak RSS is its own; the server's is not counted.
 * Our side also runs a 16 MiB download: if memory is flat, both peaks are about the same.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { z } from 'zod';
import { startCablecastServer } from '../test/support/cablecast-server.js';
import { loadAverage } from './support/measure.js';

const DOWNLOAD = new URL('../dist/lib/fetch/download.js', import.meta.url).href;
const LOG = new URL('../dist/lib/log.js', import.meta.url).href;
const TARGET_RATIO = 0.9;
const TARGET_PEAK_MIB = 100;

const childResultSchema = z.object({ ms: z.number(), cpuMs: z.number(), size: z.number(), sha256: z.string(), maxRssKiB: z.number() });
interface Measurement {
  /** Whole process, spawn to exit. */
  wallMs: number;
  /** The download alone, as the child timed it. */
  ms: number;
  cpuMs: number;
  maxRssKiB: number;
  sha256: string;
}

/** The child's whole program: the built modules only, as the installed CLI runs them. */
const CHILD = [
  `const { downloadFile } = await import(${JSON.stringify(DOWNLOAD)});`,
  `const { createLogger } = await import(${JSON.stringify(LOG)});`,
  'const [url, dest] = process.argv.slice(1);',
  'const started = performance.now();',
  'const cpuBefore = process.cpuUsage();',
  "const log = createLogger({ level: 'warn', destination: process.stderr, pretty: false });",
  "const dir = dest.slice(0, dest.lastIndexOf('/'));",
  'const result = await downloadFile({ url, dest: { root: dir, name: dest.slice(dir.length + 1) }, verifyTls: true, log });',
  'const ms = performance.now() - started;',
  'const cpu = process.cpuUsage(cpuBefore);',
  'const maxRssKiB = process.resourceUsage().maxRSS;',
  'process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, size: result.size, sha256: result.sha256, maxRssKiB }));',
].join('\n');

await main();

async function main(): Promise<void> {
  const mib = Number(process.env.BENCH_FETCH_MIB ?? '1024');
  const work = await mkdtemp(join(tmpdir(), 'archivist-bench-fetch-'));
  const server = await startCablecastServer();
  try {
    const big = await writeSourceFile(join(work, 'source.mp4'), mib);
    const small = await writeSourceFile(join(work, 'small.mp4'), 16);
    const show = server.addShow({ title: 'Bench' });
    const bigUrl = server.addVodFile(show.id, { diskPath: big.path }).url;
    const smallUrl = server.addVodFile(show.id, { diskPath: small.path }).url;
    const dest = join(work, 'out.mp4');

    const rounds = 3;
    const ours: Measurement[] = [];
    const curls: Measurement[] = [];
    for (let round = 0; round < rounds; round += 1) {
      curls.push(await measureCurl(bigUrl));
      ours.push(await measureOurs(bigUrl, dest));
    }
    const oursSmall = await measureOurs(smallUrl, dest);
    const idle = await measureIdle();
    for (const m of [...ours, ...curls]) if (m.sha256 !== big.sha256) throw new Error('a download did not match the source');
    if (oursSmall.sha256 !== small.sha256) throw new Error('the small download did not match its source');

    const best = (ms: Measurement[]): Measurement => ms.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    const peak = (ms: Measurement[]): number => Math.max(...ms.map((m) => m.maxRssKiB));
    const mibPerSecond = (ms: number): number => mib / (ms / 1000);
    const o = best(ours);
    const c = best(curls);
    const ratio = mibPerSecond(o.wallMs) / mibPerSecond(c.wallMs);
    const peakMiB = peak(ours) / 1024;
    console.log(
      `fetch of ${String(mib)} MiB over HTTP from 127.0.0.1, best of ${String(rounds)} runs each, load average ${await loadAverage()}`,
    );
    console.log(`  curl | sha256sum: ${mibPerSecond(c.wallMs).toFixed(0)} MiB/s, curl's peak RSS ${(peak(curls) / 1024).toFixed(1)} MiB`);
    console.log(
      `  archivist (dist, node): ${mibPerSecond(o.wallMs).toFixed(0)} MiB/s whole process ` +
        `(${mibPerSecond(o.ms).toFixed(0)} MiB/s after start-up), peak RSS ${peakMiB.toFixed(1)} MiB`,
    );
    console.log(
      `  throughput ratio archivist/curl: ${ratio.toFixed(2)}; target >= ${TARGET_RATIO.toFixed(1)}: ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`,
    );
    console.log(`  peak RSS: target <= ${String(TARGET_PEAK_MIB)} MiB: ${peakMiB <= TARGET_PEAK_MIB ? 'met' : 'MISSED'}`);
    console.log(
      `  CPU per GiB: curl + sha256sum ${((c.cpuMs / mib) * 1024).toFixed(0)} ms, archivist ${((o.cpuMs / mib) * 1024).toFixed(0)} ms ` +
        `(ratio ${(o.cpuMs / c.cpuMs).toFixed(2)}; archivist also writes the file)`,
    );
    console.log(
      `  node with the built modules alone (no download): ${(idle / 1024).toFixed(1)} MiB; ` +
        `the download adds ${((peak(ours) - idle) / 1024).toFixed(1)} MiB`,
    );
    console.log(
      `  flat memory: peak RSS for ${String(mib)} MiB / for 16 MiB = ${(peak(ours) / oursSmall.maxRssKiB).toFixed(2)} ` +
        `(${(oursSmall.maxRssKiB / 1024).toFixed(1)} MiB for 16 MiB)`,
    );
  } finally {
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** Random 1 MiB blocks, each made distinct, so nothing downstream can shortcut repeated data. */
async function writeSourceFile(path: string, mib: number): Promise<{ path: string; sha256: string }> {
  const hash = createHash('sha256');
  const block = randomBytes(1 << 20);
  const handle = await open(path, 'w');
  try {
    for (let i = 0; i < mib; i += 1) {
      block.writeUInt32LE(i, 0);
      hash.update(block);
      await handle.write(block);
    }
  } finally {
    await handle.close();
  }
  return { path, sha256: hash.digest('hex') };
}

async function measureOurs(url: string, dest: string): Promise<Measurement> {
  const started = performance.now();
  const { stdout } = await execa(process.execPath, ['--input-type=module', '-e', CHILD, url, dest]);
  const wallMs = performance.now() - started;
  const result = childResultSchema.parse(JSON.parse(stdout));
  await rm(dest);
  return { wallMs, ms: result.ms, cpuMs: result.cpuMs, maxRssKiB: result.maxRssKiB, sha256: result.sha256 };
}

/** Node with the built download and log modules loaded, and nothing downloaded. */
async function measureIdle(): Promise<number> {
  const program = [
    `await import(${JSON.stringify(DOWNLOAD)});`,
    `await import(${JSON.stringify(LOG)});`,
    'process.stdout.write(String(process.resourceUsage().maxRSS));',
  ].join('\n');
  const { stdout } = await execa(process.execPath, ['--input-type=module', '-e', program]);
  return z.coerce.number().parse(stdout);
}

/** `curl URL | sha256sum`, timed whole; curl's own peak RSS and both programs' CPU from /usr/bin/time. */
async function measureCurl(url: string): Promise<Measurement> {
  const script = `/usr/bin/time -f 'curl maxrss=%M cpu=%U+%S' curl -sS --fail '${url}' | /usr/bin/time -f 'sha cpu=%U+%S' sha256sum`;
  const started = performance.now();
  const { stdout, stderr } = await execa('sh', ['-c', script]);
  const wallMs = performance.now() - started;
  const curl = /curl maxrss=(\d+) cpu=([\d.]+)\+([\d.]+)/.exec(stderr);
  const sha = /sha cpu=([\d.]+)\+([\d.]+)/.exec(stderr);
  if (curl?.[1] === undefined || curl[2] === undefined || curl[3] === undefined || sha?.[1] === undefined || sha[2] === undefined) {
    throw new Error(`unexpected /usr/bin/time output: ${stderr}`);
  }
  const cpuMs = (Number(curl[2]) + Number(curl[3]) + Number(sha[1]) + Number(sha[2])) * 1000;
  return { wallMs, ms: wallMs, cpuMs, maxRssKiB: Number(curl[1]), sha256: stdout.split(' ')[0] ?? '' };
}
