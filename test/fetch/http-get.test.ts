import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadFile } from '../../src/lib/fetch/download.js';
import { httpGet } from '../../src/lib/fetch/http-get.js';
import { captureLog } from '../support/cablecast-log.js';
import { until } from '../support/until.js';

/**
 * What the Cablecast test server (node:http, always a Content-Length) never sends: answers
 * written byte by byte on a raw socket, as other file servers and proxies do.
 */
let server: Server;
let answer: (socket: Socket) => Promise<void> | void;
let url: string;
let work: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'archivist-http-get-'));
  server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => void answer(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/vod.mp4`;
});

afterEach(async () => {
  server.close();
  await rm(work, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function download(): Promise<{ sha256: string; size: number; bytes: Buffer }> {
  const result = await downloadFile({ url, dest: { root: work, name: 'vod.mp4' }, verifyTls: true, log: captureLog().log, retries: 0 });
  return { ...result, bytes: await readFile(result.path) };
}

/** Writes `pieces` one after another, each once the socket has taken the one before. */
async function writeAll(socket: Socket, pieces: (Buffer | string)[]): Promise<void> {
  for (const piece of pieces) {
    if (!socket.write(piece)) await once(socket, 'drain');
  }
}

describe('downloads from servers that answer differently', () => {
  it('reads a chunked body after an interim 103 answer, cut into reads anywhere', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 17);
    answer = async (socket) => {
      await writeAll(socket, [
        'HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-',
        'Encoding: chunked\r\n\r\n',
      ]);
      for (let at = 0; at < content.length;) {
        const size = Math.min(content.length - at, 1 + ((at * 7919) % 300_000));
        const chunk = Buffer.concat([Buffer.from(`${size.toString(16)};ext=1\r\n`), content.subarray(at, at + size), Buffer.from('\r\n')]);
        // Split each chunk mid-frame, so framing lands at every position in a read.
        await writeAll(socket, [chunk.subarray(0, 3), chunk.subarray(3)]);
        at += size;
      }
      await writeAll(socket, ['0\r\nx-trailer: 1\r\n\r\n']);
      socket.end();
    };
    const result = await download();
    expect(result.size).toBe(content.length);
    expect(result.sha256).toBe(sha256(content));
    expect(result.bytes.equals(content)).toBe(true);
  });

  it('reads a body that ends with the connection when there is no length', async () => {
    const content = randomBytes(1024 * 1024 + 5);
    answer = async (socket) => {
      await writeAll(socket, ['HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n\r\n', content]);
      socket.end();
    };
    expect((await download()).bytes.equals(content)).toBe(true);
  });

  it('names what is wrong with an answer that is not HTTP', async () => {
    answer = (socket) => {
      socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n');
    };
    await expect(download()).rejects.toThrow(/cannot download .*: not an HTTP\/1.1 status line: "SSH-2.0-OpenSSH_9.2"/);
  });
});

describe('httpGet', () => {
  it('stops reading while the slabs wait for the disk, and a slow disk is not a silent server', async () => {
    const pieces = Array.from({ length: 64 }, () => randomBytes(1024 * 1024));
    let sent = 0;
    let waitingSince: number | undefined;
    answer = async (socket) => {
      await writeAll(socket, [`HTTP/1.1 200 OK\r\nContent-Length: ${String(64 * 1024 * 1024)}\r\n\r\n`]);
      for (const piece of pieces) {
        if (!socket.write(piece)) {
          waitingSince = Date.now();
          await once(socket, 'drain');
          waitingSince = undefined;
        }
        sent += 1;
      }
    };
    let release: () => void = () => undefined;
    const disk = new Promise<void>((resolve) => {
      release = resolve;
    });
    const received: Buffer[] = [];
    const response = await httpGet(new URL(url), { headers: {}, tls: { rejectUnauthorized: true }, timeoutMs: 200 });
    const body = response.readBody(async (data) => {
      await disk;
      received.push(Buffer.from(data));
    });
    await until('the server has waited 200 ms to write more', () => waitingSince !== undefined && Date.now() - waitingSince > 200);
    const stalledAt = sent;
    // Well past the 200 ms timeout, with the disk still busy.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sent).toBe(stalledAt);
    // Three 1 MiB slabs, and what the kernel's socket buffers hold: far from all 64 MiB.
    expect(sent).toBeLessThan(32);
    release();
    await body;
    expect(Buffer.concat(received).equals(Buffer.concat(pieces))).toBe(true);
  });
});
