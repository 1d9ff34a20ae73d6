import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileUploadState, createCablecastClient, type CablecastClient, type FileUpload } from '../../src/lib/cablecast/index.js';
import { captureLog } from '../support/cablecast-log.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { defined } from '../support/defined.js';

let server: CablecastServer;
let client: CablecastClient;

beforeEach(async () => {
  server = await startCablecastServer({ username: 'u', password: 'p' });
  client = createCablecastClient(
    { url: server.url, username: 'u', password: 'p', verifyTls: true, retries: 2, retryBaseDelayMs: 5 },
    captureLog().log,
  );
});

afterEach(async () => {
  await client.close();
  await server.close();
});

async function pollUntilSettled(id: number): Promise<FileUpload[]> {
  const seen: FileUpload[] = [];
  for (let i = 0; i < 10; i += 1) {
    const upload = await client.getFileUpload(id);
    if (upload === null) throw new Error('upload forgotten');
    seen.push(upload);
    if (
      upload.state !== FileUploadState.uploadingComplete &&
      upload.state !== FileUploadState.postProcessing &&
      upload.state !== FileUploadState.transferring
    )
      return seen;
  }
  throw new Error('upload never settled');
}

async function sendInSegments(bytes: Buffer, segmentSize: number, fileName = 'Meeting.scc'): Promise<FileUpload> {
  const totalSegments = Math.ceil(bytes.length / segmentSize);
  const upload = await client.createFileUpload({ fileName, destinationStore: 1, totalSegments, size: bytes.length });
  expect(upload.state).toBe(FileUploadState.uploading);
  // Out of order on purpose: the segment field, not arrival order, places the bytes.
  for (let index = totalSegments - 1; index >= 0; index -= 1) {
    await client.uploadSegment(upload.id, index, bytes.subarray(index * segmentSize, (index + 1) * segmentSize));
  }
  return upload;
}

describe('chunked /fileuploads flow', () => {
  it('moves 1 -> 2 -> 3 -> 4 -> 5 and assembles the segments byte for byte', async () => {
    // Segment bytes full of CR LF and dashes, so a multipart boundary look-alike is in the data.
    const bytes = Buffer.concat([randomBytes(300_000), Buffer.from('\r\n--\r\n--boundary\r\n'), randomBytes(100_000)]);
    const upload = await sendInSegments(bytes, 128 * 1024);
    expect(server.state.fileUploads.get(upload.id)?.segments.size).toBe(4);

    const completed = await client.completeFileUpload(upload.id);
    expect(completed.state).toBe(FileUploadState.uploadingComplete);
    const states = (await pollUntilSettled(upload.id)).map((u) => u.state);
    expect(states).toEqual([3, 4, 5]);
    expect((await client.getFileUpload(upload.id))?.asset).toEqual(expect.any(Number));

    const stored = defined(server.state.storedFiles.get('1/Meeting.scc'), 'the stored 1/Meeting.scc');
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    expect(sha(await readFile(stored))).toBe(sha(bytes));
    const multipart = server.requests.filter((r) => r.path.endsWith('/upload'));
    expect(multipart).toHaveLength(4);
    expect(multipart.every((r) => r.authenticated)).toBe(true);
  });

  it('ends in Error when segments are missing', async () => {
    const upload = await client.createFileUpload({ fileName: 'a.scc', destinationStore: 1, totalSegments: 2, size: 10 });
    await client.uploadSegment(upload.id, 0, Buffer.alloc(5));
    await client.completeFileUpload(upload.id);
    expect((await pollUntilSettled(upload.id)).at(-1)?.state).toBe(FileUploadState.error);
  });

  it('can be told to end in Error or Timeout', async () => {
    server.endNextUploadIn(6);
    server.endNextUploadIn(0);
    const first = await sendInSegments(Buffer.from('first'), 3);
    const second = await sendInSegments(Buffer.from('second'), 3);
    await client.completeFileUpload(first.id);
    await client.completeFileUpload(second.id);
    expect((await pollUntilSettled(first.id)).at(-1)?.state).toBe(FileUploadState.timeout);
    expect((await pollUntilSettled(second.id)).at(-1)?.state).toBe(FileUploadState.error);
    expect(server.state.storedFiles.size).toBe(0);
  });

  it('forgets an upload so the client sees 404 (null) and can start over', async () => {
    server.forgetNextUploadAfter(1);
    const upload = await client.createFileUpload({ fileName: 'b.scc', destinationStore: 1, totalSegments: 2, size: 4 });
    await client.uploadSegment(upload.id, 0, Buffer.from('ab'));
    expect(await client.getFileUpload(upload.id)).toBeNull();
    await expect(client.uploadSegment(upload.id, 1, Buffer.from('cd'))).rejects.toMatchObject({ status: 404 });
  });

  it('retries a segment after a 500', async () => {
    const upload = await client.createFileUpload({ fileName: 'c.scc', destinationStore: 1, totalSegments: 1, size: 3 });
    server.inject({ kind: 'status', status: 500, times: 1, match: '/upload' });
    await client.uploadSegment(upload.id, 0, Buffer.from('abc'));
    await client.completeFileUpload(upload.id);
    expect((await pollUntilSettled(upload.id)).at(-1)?.state).toBe(FileUploadState.finished);
    expect(await readFile(defined(server.state.storedFiles.get('1/c.scc'), 'the stored 1/c.scc'), 'utf8')).toBe('abc');
  });
});
