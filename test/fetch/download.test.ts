import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, UnavailableError, UsageError, TransientError } from '../../src/lib/errors.js';
import { downloadFile, type DownloadOptions } from '../../src/lib/fetch/download.js';
import { captureLog } from '../support/cablecast-log.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

let server: CablecastServer;
let work: string;
let content: Buffer;
let url: string;
let dest: string;

function download(overrides: Partial<DownloadOptions> = {}): ReturnType<typeof downloadFile> {
  return downloadFile({
    url,
    dest: { root: dirname(dest), name: basename(dest) },
    verifyTls: true,
    log: captureLog().log,
    retries: 3,
    retryBaseDelayMs: 5,
    ...overrides,
  });
}

function fileRequests(): { range: string | undefined }[] {
  return server.requests.filter((r) => r.path.endsWith('/vod.mp4'));
}

beforeEach(async () => {
  server = await startCablecastServer();
  work = await mkdtemp(join(tmpdir(), 'archivist-download-'));
  content = randomBytes(3 * 1024 * 1024 + 123);
  const show = server.addShow({ title: 'Lake Elmo Council' });
  url = server.addVodFile(show.id, content).url;
  dest = join(work, `${show.id}.mp4`);
});

afterEach(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('downloadFile', () => {
  it('streams to a .part file, then renames it with the right size and SHA-256', async () => {
    const result = await download();
    expect(result).toEqual({ path: dest, size: content.length, sha256: sha256(content), resumedFrom: 0 });
    expect(sha256(await readFile(dest))).toBe(sha256(content));
    expect(await readdir(work)).toEqual([`${dest.split('/').at(-1)}`]);
  });

  it('resumes with Range from where a cut connection stopped and ends with the right SHA-256', async () => {
    const afterBytes = 1_234_567;
    server.inject({ kind: 'cut', afterBytes, times: 1, match: '/vod.mp4' });
    const result = await download();
    expect(result.resumedFrom).toBe(afterBytes);
    expect(result.sha256).toBe(sha256(content));
    expect(fileRequests().map((r) => r.range)).toEqual([undefined, `bytes=${afterBytes}-`]);
    expect((await stat(dest)).size).toBe(content.length);
  });

  it('survives several cuts in a row as long as each attempt makes progress', async () => {
    server.inject({ kind: 'cut', afterBytes: 500_000, times: 5, match: '/vod.mp4' });
    const result = await download({ retries: 1 });
    expect(result.sha256).toBe(sha256(content));
    expect(result.resumedFrom).toBe(2_500_000);
    expect(fileRequests()).toHaveLength(6);
  });

  it('resumes a .part left by an earlier run, re-hashing what is already there', async () => {
    await writeFile(`${dest}.part`, content.subarray(0, 1_000_000));
    const result = await download();
    expect(result).toMatchObject({ resumedFrom: 1_000_000, size: content.length, sha256: sha256(content) });
    expect(fileRequests().map((r) => r.range)).toEqual(['bytes=1000000-']);
  });

  it('finishes without transferring anything when the .part is already complete', async () => {
    await writeFile(`${dest}.part`, content);
    const result = await download();
    expect(result).toMatchObject({ size: content.length, sha256: sha256(content) });
    expect(fileRequests()).toHaveLength(1);
  });

  it('starts over when the .part is longer than the file on the server', async () => {
    await writeFile(`${dest}.part`, Buffer.concat([content, Buffer.from('stale tail')]));
    const result = await download();
    expect(result).toMatchObject({ resumedFrom: 0, sha256: sha256(content) });
  });

  it('starts over when the server ignores Range and sends the whole file', async () => {
    await writeFile(`${dest}.part`, content.subarray(0, 777));
    server.inject({ kind: 'ignore-range', times: 1 });
    const result = await download();
    expect(result).toMatchObject({ resumedFrom: 0, size: content.length, sha256: sha256(content) });
    expect(fileRequests()).toHaveLength(1);
  });

  it('rejects a 206 for the wrong bytes and fetches the file again', async () => {
    await writeFile(`${dest}.part`, content.subarray(0, 4096));
    server.inject({ kind: 'wrong-range', times: 1 });
    const result = await download();
    expect(result.sha256).toBe(sha256(content));
    expect(fileRequests().map((r) => r.range)).toEqual(['bytes=4096-', undefined]);
  });

  it('retries 5xx and 429 and a stalled response', async () => {
    server.inject({ kind: 'status', status: 503, times: 1, match: '/vod.mp4' });
    server.inject({ kind: '429', retryAfterSeconds: 0, times: 1, match: '/vod.mp4' });
    server.inject({ kind: 'slow', delayMs: 2000, times: 1, match: '/vod.mp4' });
    const result = await download({ timeoutMs: 200 });
    expect(result.sha256).toBe(sha256(content));
    expect(fileRequests()).toHaveLength(4);
  });

  it('does not sit out a Retry-After of an hour', async () => {
    server.inject({ kind: '429', retryAfterSeconds: 3600, times: 1, match: '/vod.mp4' });
    await expect(download()).rejects.toBeInstanceOf(UnavailableError);
    expect(fileRequests()).toHaveLength(1);
  });

  it('gives up after consecutive failures without progress, keeping the .part for next time', async () => {
    await writeFile(`${dest}.part`, content.subarray(0, 100_000));
    server.inject({ kind: 'status', status: 500, times: 10, match: '/vod.mp4' });
    const error = await download({ retries: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(fileRequests()).toHaveLength(3);
    expect((await stat(`${dest}.part`)).size).toBe(100_000);
    await expect(stat(dest)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('does not retry a 404, and reports a 401 as a credentials problem', async () => {
    const missing = await download({ url: `${server.origin}/store-1/0-Gone-v1/vod.mp4` }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TransientError);
    expect(server.requests).toHaveLength(1);

    const locked = await startCablecastServer({ username: 'u', password: 'p', requireAuth: 'all' });
    try {
      const show = locked.addShow({ title: 'Private' });
      const lockedUrl = locked.addVodFile(show.id, Buffer.from('secret')).url;
      const refused = await download({ url: lockedUrl }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UsageError);
      expect((refused as UsageError).exitCode).toBe(ExitCode.usage);
      const allowed = await download({ url: lockedUrl, auth: { username: 'u', password: 'p', origin: locked.origin } });
      expect(await readFile(allowed.path, 'utf8')).toBe('secret');
    } finally {
      await locked.close();
    }
  });

  it('stops when the run is interrupted and leaves the .part to resume', async () => {
    const controller = new AbortController();
    server.inject({ kind: 'slow', delayMs: 5000, times: 1, match: '/vod.mp4' });
    const pending = download({ signal: controller.signal });
    setImmediate(() => {
      controller.abort();
    });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(stat(dest)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
