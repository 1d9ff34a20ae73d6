import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../src/lib/errors.js';
import { downloadFile, type DownloadOptions } from '../../src/lib/fetch/download.js';
import { PathEscapeError, safeBaseName } from '../../src/lib/fs/safe-path.js';
import { captureLog } from '../support/cablecast-log.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { makeSelfSignedCertificate } from '../support/cablecast-tls.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const credentials = { username: 'archivist', password: 'hunter2' };

let work: string;
let home: CablecastServer;
let content: Buffer;

function download(options: Pick<DownloadOptions, 'url' | 'dest'> & Partial<DownloadOptions>): ReturnType<typeof downloadFile> {
  return downloadFile({ verifyTls: true, log: captureLog().log, retries: 1, retryBaseDelayMs: 5, ...options });
}

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'archivist-download-safety-'));
  // The second server checks the same credentials, so its log shows whether they reached it.
  home = await startCablecastServer(credentials);
  content = randomBytes(64 * 1024 + 7);
});

afterEach(async () => {
  await home.close();
  await rm(work, { recursive: true, force: true });
});

describe('downloading to a name from Cablecast', () => {
  const hostile = '../../../../srv/precious.txt';

  it('writes nothing outside its root for a name that climbs out, and leaves the file there untouched', async () => {
    const root = join(work, 'state', 'work', 'vods', '12');
    await mkdir(join(work, 'srv'), { recursive: true });
    await writeFile(join(work, 'srv', 'precious.txt'), 'the station keeps this');
    const vod = home.addVodFile(home.addShow({ title: 'Council' }).id, content, { fileName: hostile });
    const error = await download({ url: vod.url, dest: { root, name: hostile } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PathEscapeError);
    expect((error as PathEscapeError).kind).toBe('permanent');
    expect(await readFile(join(work, 'srv', 'precious.txt'), 'utf8')).toBe('the station keeps this');
    expect(await filesUnder(work)).toEqual(['srv/precious.txt']);
    expect(home.requests.filter((r) => r.path === new URL(vod.url).pathname)).toHaveLength(0);
  });

  it('downloads inside the root under the safe form of that name', async () => {
    const root = join(work, 'vods', '12');
    const vod = home.addVodFile(home.addShow({ title: 'Council' }).id, content, { fileName: hostile });
    const result = await download({ url: vod.url, dest: { root, name: safeBaseName(hostile) } });
    expect(result.path).toBe(join(root, '___.._.._.._srv_precious.txt'));
    expect(sha256(await readFile(result.path))).toBe(sha256(content));
    expect(await filesUnder(work)).toEqual(['vods/12/___.._.._.._srv_precious.txt']);
  });

  it('does not replace a file it did not write, but accepts one holding exactly the same bytes', async () => {
    const root = join(work, 'vods');
    await mkdir(root);
    const vod = home.addVodFile(home.addShow({ title: 'Council' }).id, content);
    await writeFile(join(root, 'a.mp4'), 'someone else');
    const refused = await download({ url: vod.url, dest: { root, name: 'a.mp4' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransientError);
    expect(await readFile(join(root, 'a.mp4'), 'utf8')).toBe('someone else');

    await writeFile(join(root, 'b.mp4'), content);
    const same = await download({ url: vod.url, dest: { root, name: 'b.mp4' } });
    expect(same.sha256).toBe(sha256(content));
    expect(await readdir(root)).toEqual(['a.mp4', 'a.mp4.part', 'b.mp4']);

    const replaced = await download({ url: vod.url, dest: { root, name: 'a.mp4' }, replaceOurs: true });
    expect(sha256(await readFile(replaced.path))).toBe(sha256(content));
  });
});

describe('credentials for VOD files', () => {
  const auth = (extra: Partial<NonNullable<DownloadOptions['auth']>> = {}): DownloadOptions['auth'] => ({
    ...credentials,
    origin: home.url,
    ...extra,
  });
  const fileRequests = (server: CablecastServer): { authenticated: boolean }[] =>
    server.requests.filter((r) => r.path.endsWith('/vod.mp4'));

  it('go to the configured Cablecast origin', async () => {
    const vod = home.addVodFile(home.addShow({ title: 'Council' }).id, content);
    await download({ url: vod.url, dest: { root: work, name: 'a.mp4' }, auth: auth() });
    expect(fileRequests(home)).toEqual([expect.objectContaining({ authenticated: true })]);
  });

  it('never go to a media file on another host, nor over plain HTTP to a listed one', async () => {
    const media = await startCablecastServer(credentials);
    try {
      const vod = media.addVodFile(media.addShow({ title: 'Council' }).id, content);
      const result = await download({ url: vod.url, dest: { root: work, name: 'a.mp4' }, auth: auth() });
      expect(result.sha256).toBe(sha256(content));
      const listed = await download({
        url: vod.url,
        dest: { root: work, name: 'b.mp4' },
        auth: auth({ mediaHosts: [new URL(media.origin).host] }),
      });
      expect(listed.sha256).toBe(sha256(content));
      expect(fileRequests(media)).toHaveLength(2);
      expect(fileRequests(media).every((r) => !r.authenticated)).toBe(true);
    } finally {
      await media.close();
    }
  });

  it('go over HTTPS to a media host the operator listed, and only to that one', async () => {
    const certificate = await makeSelfSignedCertificate();
    const media = await startCablecastServer({ ...credentials, tls: { key: certificate.key, cert: certificate.cert } });
    try {
      const vod = media.addVodFile(media.addShow({ title: 'Council' }).id, content);
      const tls = { caFile: certificate.certFile };
      await download({
        url: vod.url,
        dest: { root: work, name: 'a.mp4' },
        ...tls,
        auth: auth({ mediaHosts: [new URL(media.origin).host] }),
      });
      await download({ url: vod.url, dest: { root: work, name: 'b.mp4' }, ...tls, auth: auth({ mediaHosts: ['127.0.0.1:1'] }) });
      expect(fileRequests(media).map((r) => r.authenticated)).toEqual([true, false]);
    } finally {
      await media.close();
      await certificate.cleanup();
    }
  });

  it('do not follow a redirect to another origin', async () => {
    const media = await startCablecastServer(credentials);
    const seen: (string | undefined)[] = [];
    const vod = media.addVodFile(media.addShow({ title: 'Council' }).id, content);
    const redirector: Server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(302, { location: vod.url }).end();
    });
    try {
      await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
      const result = await download({ url: `${origin}/vod-files/1/vod.mp4`, dest: { root: work, name: 'a.mp4' }, auth: auth({ origin }) });
      expect(result.sha256).toBe(sha256(content));
      expect(seen).toEqual([`Basic ${Buffer.from('archivist:hunter2').toString('base64')}`]);
      expect(fileRequests(media)).toEqual([expect.objectContaining({ authenticated: false })]);
    } finally {
      redirector.closeAllConnections();
      await new Promise((resolve) => redirector.close(resolve));
      await media.close();
    }
  });
});
