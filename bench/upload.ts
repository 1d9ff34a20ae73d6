/**
 * Memory of a Cablecast chunked upload: peak RSS of a process uploading a 32 MiB file (the
 * baseline, measured in the same run) against one uploading a 1 GiB file, both in 5 MiB
 * segments to the project's Cablecast test server. Segments are read from disk one at a
 * time, so the ratio should stay near 1 however big the file. Each upload runs in its own
 * process (this file, re-run with `child`), so the server's memory is not counted.
 *
 *   npx tsx bench/upload.ts
 */
import { z } from 'zod';
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createCablecastClient } from '../src/lib/cablecast/index.js';
import { uploadFile } from '../src/lib/upload/chunked-upload.js';
import { MIB } from '../src/lib/upload/segments.js';
import { startCablecastServer } from '../test/support/cablecast-server.js';
import { randomFile } from '../test/upload/helpers.js';

const SIZES_MIB = { baseline: 32, large: 1024 };
const childResultSchema = z.object({ peakRss: z.number(), seconds: z.number(), finished: z.boolean() });
type ChildResult = z.infer<typeof childResultSchema>;

async function child(url: string, path: string): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const log = pino({ level: 'silent' });
  const client = createCablecastClient({ url, username: 'u', password: 'p', verifyTls: true }, log);
  const started = performance.now();
  const done = await uploadFile({
    client,
    source: { what: 'rendition', path, fileName: 'bench.mov' },
    store: 1,
    segmentBytes: 5 * MIB,
    previous: undefined,
    save: () => Promise.resolve(),
    log,
    finishTimeoutMs: 600_000,
    pollDelayMs: { first: 10, max: 50 },
  });
  clearInterval(sampler);
  await client.close();
  const maxRssKiB = process.resourceUsage().maxRSS;
  process.stdout.write(
    `${JSON.stringify({ peakRss: Math.max(peak, maxRssKiB * 1024), seconds: (performance.now() - started) / 1000, finished: done.finished })}\n`,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'archivist-bench-upload-'));
  const server = await startCablecastServer({ username: 'u', password: 'p' });
  try {
    const results = new Map<string, ChildResult>();
    for (const [name, mib] of Object.entries(SIZES_MIB)) {
      const path = await randomFile(join(dir, `${name}.mov`), mib);
      const run = await execa('npx', ['tsx', fileURLToPath(import.meta.url), 'child', server.url, path]);
      results.set(name, childResultSchema.parse(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}')));
      await rm(path);
      for (const stored of server.state.storedFiles.values()) await rm(stored, { force: true });
      server.state.storedFiles.clear();
    }
    const measured = (name: string): ChildResult => {
      const result = results.get(name);
      if (result === undefined) throw new Error(`no measurement for ${name}`);
      return result;
    };
    const mb = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;
    for (const [name, mib] of Object.entries(SIZES_MIB)) {
      const r = measured(name);
      console.log(
        `${name.padEnd(8)} ${String(mib).padStart(5)} MiB file: peak RSS ${mb(r.peakRss)}, ${(mib / r.seconds).toFixed(0)} MiB/s, finished=${r.finished}`,
      );
    }
    const ratio = measured('large').peakRss / measured('baseline').peakRss;
    console.log(
      `peak RSS ratio, ${SIZES_MIB.large} MiB vs ${SIZES_MIB.baseline} MiB upload: ${ratio.toFixed(2)}x (file ${SIZES_MIB.large / SIZES_MIB.baseline}x larger)`,
    );
    console.log(
      `peak RSS / file size for the ${SIZES_MIB.large} MiB upload: ${(measured('large').peakRss / (SIZES_MIB.large * MIB)).toFixed(3)}`,
    );
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') await child(process.argv[3] ?? '', process.argv[4] ?? '');
else await main();
