/**
 * Fetching a Cablecast VOD the way a station does: the built CLI (`node dist/cli.js`, no tsx)
 * running `archivist process-recent-vods --steps fetch` on PostgreSQL, which finds a new 1 GiB
 * VOD on the Cablecast test server and downloads it (sha256 while streaming, written to
 * `<name>.part`, fsynced, renamed). Baseline, same server, same file, same run:
 * `curl URL | sha256sum`, which writes nothing. Targets: at least 0.9x curl's throughput; at
 * most 100 MiB peak RSS (VmHWM of the archivist process).
 *
 *   npm run build && npx tsx bench/fetch.ts            # 1 GiB (the default)
 *   BENCH_FETCH_MIB=256 npx tsx bench/fetch.ts
 *
 * Transfer time, for both clients: from the server receiving the GET to the client being done
 * with the last byte (curl: sha256sum has exited; archivist: the file is synced and renamed, as
 * its `download complete` log line says). Start-up, the database and discovery are outside it,
 * and reported separately as the whole process's time. The server runs in this process and
 * reads the file from the page cache in 1 MiB pieces, so it is not what limits either client;
 * on two cores it still competes with them (with curl and sha256sum, three busy processes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { z } from 'zod';
import { startCablecastServer, type CablecastServer } from '../test/support/cablecast-server.js';
import { CLI, loadAverage, measureNode, temporaryPostgres } from './support/measure.js';

const TARGET_RATIO = 0.9;
const TARGET_PEAK_MIB = 100;
const ROUNDS = 3;
const SMALL_MIB = 16;

const completeLineSchema = z.object({ msg: z.literal('download complete'), time: z.number(), path: z.string(), sha256: z.string() });

interface Transfer {
  /** GET received to last byte done with. */
  transferMs: number;
  /** The whole process (or pipeline), spawn to exit. */
  wallMs: number;
  cpuMs: number;
  peakMiB: number;
}

await main();

async function main(): Promise<void> {
  const mib = Number(process.env.BENCH_FETCH_MIB ?? '1024');
  const work = await mkdtemp(join(tmpdir(), 'archivist-bench-fetch-'));
  const postgres = await temporaryPostgres();
  const server = await startCablecastServer();
  try {
    if (postgres === undefined) throw new Error('bench/fetch.ts measures the CLI on PostgreSQL; start one (ARCHIVIST_BENCH_PG_URL)');
    const big = await writeSourceFile(join(work, 'source.mp4'), mib);
    const small = await writeSourceFile(join(work, 'small.mp4'), SMALL_MIB);
    const cli = await cliSetup(work, server, postgres.url);
    await measureNode([CLI, 'db', 'migrate'], cli.env);

    // The command with nothing new to fetch: what the download adds is measured against it.
    const idle = await measureNode(cli.args, cli.env);
    const curlUrl = server.addVodFile(server.addShow({ title: 'Not in any pattern' }).id, { diskPath: big.path }).url;
    const ours: Transfer[] = [];
    const curls: Transfer[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      curls.push(await measureCurl(server, curlUrl, big.sha256));
      ours.push(await measureOurs(server, cli, big, `Bench ${String(round)}`));
    }
    const oursSmall = await measureOurs(server, cli, small, 'Bench small');

    const best = (ts: Transfer[]): Transfer => ts.reduce((a, b) => (b.transferMs < a.transferMs ? b : a));
    const rate = (ms: number): number => mib / (ms / 1000);
    const o = best(ours);
    const c = best(curls);
    const ratio = rate(o.transferMs) / rate(c.transferMs);
    const peak = Math.max(...ours.map((t) => t.peakMiB));
    console.log(
      `fetch of ${String(mib)} MiB from the Cablecast test server on 127.0.0.1, best of ${String(ROUNDS)} each, load average ${await loadAverage()}`,
    );
    console.log(
      `  curl | sha256sum:   ${rate(c.transferMs).toFixed(0)} MiB/s (GET received to sha256sum done), ` +
        `CPU ${(c.cpuMs / 1000).toFixed(2)} s, curl's peak RSS ${c.peakMiB.toFixed(1)} MiB`,
    );
    console.log(
      `  archivist (built CLI, process-recent-vods --steps fetch, PostgreSQL): ${rate(o.transferMs).toFixed(0)} MiB/s ` +
        `(GET received to renamed), CPU ${(o.cpuMs / 1000).toFixed(2)} s whole process, peak RSS ${peak.toFixed(1)} MiB`,
    );
    console.log(
      `  whole process: archivist ${(o.wallMs / 1000).toFixed(2)} s, curl | sha256sum ${(c.wallMs / 1000).toFixed(2)} s; ` +
        `the command with nothing to fetch ${idle.seconds.toFixed(2)} s`,
    );
    console.log(
      `  throughput ratio archivist/curl: ${ratio.toFixed(2)}; target >= ${TARGET_RATIO.toFixed(1)}: ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`,
    );
    console.log(`  peak RSS: target <= ${String(TARGET_PEAK_MIB)} MiB: ${peak <= TARGET_PEAK_MIB ? 'met' : 'MISSED'}`);
    console.log(
      `  memory: the command with nothing to fetch ${idle.peakMiB.toFixed(1)} MiB; fetching ${String(SMALL_MIB)} MiB ` +
        `${oursSmall.peakMiB.toFixed(1)} MiB; fetching ${String(mib)} MiB ${peak.toFixed(1)} MiB ` +
        `(${(peak - oursSmall.peakMiB).toFixed(1)} MiB more for ${String(mib / SMALL_MIB)}x the bytes)`,
    );
  } finally {
    await server.close();
    await postgres?.drop();
    await rm(work, { recursive: true, force: true });
  }
}

interface CliSetup {
  args: string[];
  env: Record<string, string | undefined>;
}

async function cliSetup(work: string, server: CablecastServer, databaseUrl: string): Promise<CliSetup> {
  const share = join(work, 'share');
  await mkdir(share);
  const model = join(work, 'ggml-base.en.bin');
  await writeFile(model, 'stub model');
  const config = join(work, 'config.json');
  await writeFile(
    config,
    JSON.stringify({
      sites: [{ key: 'bench', name: 'Bench', share, patterns: ['bench'], location: 1 }],
      engine: { kind: 'whisper-cpp', model },
      cablecast: { url: server.url },
      paths: { output: join(work, 'out'), work: join(work, 'work'), state: join(work, 'state') },
      discovery: { recheckSeconds: 0 },
    }),
  );
  return {
    args: [CLI, '--config', config, '--log-level', 'info', 'process-recent-vods', '--steps', 'fetch'],
    env: { ...process.env, DATABASE_URL: databaseUrl },
  };
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

/** When the server received the GET for `url` at or after `since`. */
function receivedAt(server: CablecastServer, url: string, since: number): number {
  const path = new URL(url).pathname;
  const request = server.requests.find((r) => r.method === 'GET' && r.path === path && r.receivedAt >= since);
  if (request === undefined) throw new Error(`the server saw no GET ${path}`);
  return request.receivedAt;
}

/** A new show for the command to find, its VOD the given file; the command fetches it, and the copy is removed. */
async function measureOurs(
  server: CablecastServer,
  cli: CliSetup,
  source: { path: string; sha256: string },
  title: string,
): Promise<Transfer> {
  const vod = server.addVodFile(server.addShow({ title }).id, { diskPath: source.path });
  const since = Date.now();
  const run = await measureNode(cli.args, cli.env);
  const complete = run.stderr
    .split('\n')
    .filter((line) => line.includes('"download complete"'))
    .map((line) => completeLineSchema.parse(JSON.parse(line)));
  if (complete.length !== 1 || complete[0] === undefined)
    throw new Error(`expected one download, the log says:\n${run.stderr.slice(-2000)}`);
  if (complete[0].sha256 !== source.sha256) throw new Error('the fetched file does not match its source');
  await rm(complete[0].path);
  return {
    transferMs: complete[0].time - receivedAt(server, vod.url, since),
    wallMs: run.seconds * 1000,
    cpuMs: run.cpuSeconds * 1000,
    peakMiB: run.peakMiB,
  };
}

/** `curl URL | sha256sum`: curl's peak RSS and both programs' CPU from /usr/bin/time. */
async function measureCurl(server: CablecastServer, url: string, sha256: string): Promise<Transfer> {
  const script = `/usr/bin/time -f 'curl maxrss=%M cpu=%U+%S' curl -sS --fail '${url}' | /usr/bin/time -f 'sha cpu=%U+%S' sha256sum`;
  const started = Date.now();
  const { stdout, stderr } = await execa('sh', ['-c', script]);
  const ended = Date.now();
  const curl = /curl maxrss=(\d+) cpu=([\d.]+)\+([\d.]+)/.exec(stderr);
  const sha = /sha cpu=([\d.]+)\+([\d.]+)/.exec(stderr);
  if (curl?.[1] === undefined || curl[2] === undefined || curl[3] === undefined || sha?.[1] === undefined || sha[2] === undefined) {
    throw new Error(`unexpected /usr/bin/time output: ${stderr}`);
  }
  if (stdout.split(' ')[0] !== sha256) throw new Error('curl | sha256sum did not match the source');
  return {
    transferMs: ended - receivedAt(server, url, started),
    wallMs: ended - started,
    cpuMs: (Number(curl[2]) + Number(curl[3]) + Number(sha[1]) + Number(sha[2])) * 1000,
    peakMiB: Number(curl[1]) / 1024,
  };
}
