/**
 * Download throughput and peak memory of src/lib/fetch/download.ts against curl, both fetching
 * the same 1 GiB file from the same local server (the Cablecast test server, serving from disk).
 *
 *   npx tsx bench/fetch.ts            # 1 GiB (the default)
 *   BENCH_FETCH_MIB=256 npx tsx bench/fetch.ts
 *
 * Each download runs in its own process so its peak RSS is its own; the server's is not counted.
 * Our side also runs a 16 MiB download: if memory is flat, both peaks are about the same.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { pino } from 'pino';
import { z } from 'zod';
import { downloadFile } from '../src/lib/fetch/download.js';
import { startCablecastServer } from '../test/support/cablecast-server.js';

const childResultSchema = z.object({ ms: z.number(), cpuMs: z.number(), size: z.number(), sha256: z.string(), maxRssKiB: z.number() });
interface Measurement {
  ms: number;
  cpuMs: number;
  maxRssKiB: number;
  sha256: string;
}

if (process.argv[2] === '--child') {
  await runChild(z.string().parse(process.argv[3]), z.string().parse(process.argv[4]));
} else if (process.argv[2] === '--idle') {
  process.stdout.write(`${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
} else {
  await main();
}

async function runChild(url: string, dest: string): Promise<void> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await downloadFile({
    url,
    dest: { root: dirname(dest), name: basename(dest) },
    verifyTls: true,
    log: pino({ level: 'warn' }),
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssKiB = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify({ ms, cpuMs, size: result.size, sha256: result.sha256, maxRssKiB })}\n`);
}

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
      curls.push(await measureCurl(bigUrl, dest));
      ours.push(await measureOurs(bigUrl, dest));
    }
    const oursSmall = await measureOurs(smallUrl, dest);
    const idle = await measureIdle();
    for (const m of [...ours, ...curls]) if (m.sha256 !== big.sha256) throw new Error('a download did not match the source');
    if (oursSmall.sha256 !== small.sha256) throw new Error('the small download did not match its source');

    const best = (ms: Measurement[]): Measurement => ms.reduce((a, b) => (b.ms < a.ms ? b : a));
    const peak = (ms: Measurement[]): number => Math.max(...ms.map((m) => m.maxRssKiB));
    const mibPerSecond = (m: Measurement): number => mib / (m.ms / 1000);
    const o = best(ours);
    const c = best(curls);
    console.log(`fetch of ${mib} MiB over HTTP from 127.0.0.1, best of ${rounds} runs each`);
    console.log(`  curl:      ${mibPerSecond(c).toFixed(0)} MiB/s, peak RSS ${(peak(curls) / 1024).toFixed(1)} MiB`);
    console.log(`  archivist: ${mibPerSecond(o).toFixed(0)} MiB/s, peak RSS ${(peak(ours) / 1024).toFixed(1)} MiB (node process)`);
    console.log(`  throughput ratio archivist/curl: ${(mibPerSecond(o) / mibPerSecond(c)).toFixed(2)}`);
    console.log(
      `  CPU per GiB: curl ${((c.cpuMs / mib) * 1024).toFixed(0)} ms, archivist ${((o.cpuMs / mib) * 1024).toFixed(0)} ms ` +
        `(ratio ${(o.cpuMs / c.cpuMs).toFixed(2)}; archivist also computes SHA-256)`,
    );
    console.log(`  peak RSS ratio archivist/curl:   ${(peak(ours) / peak(curls)).toFixed(2)}`);
    console.log(
      `  node+tsx runtime alone (same child, no download): ${(idle / 1024).toFixed(1)} MiB; ` +
        `the download adds ${((peak(ours) - idle) / 1024).toFixed(1)} MiB`,
    );
    console.log(
      `  flat memory: peak RSS for ${mib} MiB / for 16 MiB = ${(peak(ours) / oursSmall.maxRssKiB).toFixed(2)} ` +
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
  const self = fileURLToPath(import.meta.url);
  const { stdout } = await execa(process.execPath, ['--import', 'tsx', self, '--child', url, dest]);
  const result = childResultSchema.parse(JSON.parse(stdout));
  await rm(dest);
  return { ms: result.ms, cpuMs: result.cpuMs, maxRssKiB: result.maxRssKiB, sha256: result.sha256 };
}

async function measureIdle(): Promise<number> {
  const { stdout } = await execa(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--idle']);
  return z.object({ maxRssKiB: z.number() }).parse(JSON.parse(stdout)).maxRssKiB;
}

async function measureCurl(url: string, dest: string): Promise<Measurement> {
  const started = performance.now();
  const { stderr } = await execa('/usr/bin/time', ['-f', 'maxrss=%M cpu=%U+%S', 'curl', '-sS', '--fail', '-o', dest, url]);
  const ms = performance.now() - started;
  const usage = /maxrss=(\d+) cpu=([\d.]+)\+([\d.]+)/.exec(stderr);
  if (usage?.[1] === undefined || usage[2] === undefined || usage[3] === undefined) {
    throw new Error(`unexpected /usr/bin/time output: ${stderr}`);
  }
  const cpuMs = (Number(usage[2]) + Number(usage[3])) * 1000;
  const sha256 = await hashFile(dest);
  await stat(dest);
  await rm(dest);
  return { ms, cpuMs, maxRssKiB: Number(usage[1]), sha256 };
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
