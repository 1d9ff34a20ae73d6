import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCablecastClient, type CablecastClient } from '../../src/lib/cablecast/index.js';
import { UploadEndedError, uploadFile, type UploadFileOptions } from '../../src/lib/upload/chunked-upload.js';
import { sha256File } from '../../src/lib/fs/file-sha256.js';
import { MIB } from '../../src/lib/upload/segments.js';
import type { UploadState } from '../../src/lib/upload/upload-state.js';
import { captureLog } from '../support/cablecast-log.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { defined } from '../support/defined.js';
import { anyNumber, stringMatching } from '../support/matchers.js';
import { randomFile } from './helpers.js';

let dir: string;
let big: string;
let bigSha: string;
let server: CablecastServer;
let client: CablecastClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-upload-'));
  big = await randomFile(join(dir, 'Council (2024).captioned.mov'), 50);
  bigSha = await sha256File(big);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
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

function options(overrides: Partial<UploadFileOptions> & { saved?: UploadState[] } = {}): UploadFileOptions {
  const saved = overrides.saved ?? [];
  return {
    client,
    source: { what: 'rendition', path: big, fileName: 'Council (2024).captioned.mov' },
    store: 1,
    segmentBytes: 5 * MIB,
    previous: undefined,
    save: (state) => {
      saved.push(state);
      return Promise.resolve();
    },
    log: captureLog().log,
    finishTimeoutMs: 60_000,
    pollDelayMs: { first: 1, max: 5 },
    segmentRetry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  };
}

const stored = (): string => defined(server.state.storedFiles.get('1/Council (2024).captioned.mov'), 'the assembled upload in store 1');
const sent = (uploadId: number) => server.state.receivedSegments.filter((r) => r.upload === uploadId).map((r) => r.segment);

describe('uploadFile', () => {
  it('uploads 50 MiB in 5 MiB segments, saving progress after each, and ends Finished with an asset', async () => {
    const saved: UploadState[] = [];
    const done = await uploadFile(options({ saved }));
    expect(done).toMatchObject({ finished: true, totalSegments: 10, size: 50 * MIB, sha256: bigSha, store: 1 });
    expect(done.assetId).toEqual(anyNumber());
    expect(await sha256File(stored())).toBe(bigSha);
    expect(sent(done.uploadId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Created (nothing acked), then one save per segment, then finished.
    expect(saved.map((s) => s.acked.length)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]);
    expect(server.state.fileUploads.size).toBe(1);
  });

  it('continues a crashed upload from its next segment without resending acknowledged ones', async () => {
    const saved: UploadState[] = [];
    const crash = new Error('power cut');
    await expect(
      uploadFile(
        options({
          save: (state) => {
            if (state.acked.length === 4) return Promise.reject(crash);
            saved.push(state);
            return Promise.resolve();
          },
        }),
      ),
    ).rejects.toBe(crash);
    const previous = defined(saved.at(-1), 'a saved upload state');
    expect(previous.acked).toEqual([0, 1, 2]);

    const done = await uploadFile(options({ previous }));
    expect(done.uploadId).toBe(previous.uploadId);
    // Segment 3 reached the server but its acknowledgement was never saved: only it is sent again.
    expect(sent(done.uploadId)).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9]);
    expect(server.state.fileUploads.size).toBe(1);
    expect(await sha256File(stored())).toBe(bigSha);

    const again = await uploadFile(options({ previous: done }));
    expect(again).toEqual(done);
    expect(server.state.fileUploads.size).toBe(1);
    expect(sent(done.uploadId)).toHaveLength(11);
  });

  it('after a crash between Finished and saving it, a rerun records the same upload instead of sending it again', async () => {
    const saved: UploadState[] = [];
    const crash = new Error('power cut');
    await expect(
      uploadFile(
        options({
          save: (state) => {
            if (state.finished) return Promise.reject(crash);
            saved.push(state);
            return Promise.resolve();
          },
        }),
      ),
    ).rejects.toBe(crash);
    const previous = defined(saved.at(-1), 'a saved upload state');
    expect(previous).toMatchObject({ finished: false, acked: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });

    const done = await uploadFile(options({ previous }));
    expect(done).toMatchObject({ finished: true, uploadId: previous.uploadId, assetId: anyNumber() });
    expect(server.state.fileUploads.size).toBe(1);
    expect(sent(done.uploadId)).toHaveLength(10);
  });

  it('retries segments after 500s and a dropped connection', async () => {
    server.inject({ kind: 'status', status: 500, times: 2, match: '/upload' });
    server.inject({ kind: 'cut', afterBytes: 0, times: 1, match: '/upload' });
    // More 503s in a row than the client retries: the segment loop backs off and tries again.
    server.inject({ kind: 'status', status: 503, times: 4, match: /POST .*\/upload$/ });
    const done = await uploadFile(options());
    expect(done.finished).toBe(true);
    expect(await sha256File(stored())).toBe(bigSha);
    const uploads = server.requests.filter((r) => r.path.endsWith('/upload'));
    expect(uploads.length).toBeGreaterThan(10);
  });

  it('starts a new upload when the server drops the one in progress, and finishes only once', async () => {
    server.forgetNextUploadAfter(3);
    const done = await uploadFile(options());
    expect(done.finished).toBe(true);
    const created = server.requests.filter((r) => r.method === 'POST' && /\/fileuploads$/i.test(r.path));
    expect(created).toHaveLength(2);
    expect(sent(done.uploadId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(server.state.storedFiles.size).toBe(1);
  });

  it.each([
    [0, /state Error \(0\): the server rejected or could not process the file/],
    [6, /state Timeout \(6\): it was idle too long/],
  ] as const)('ends for good when Cablecast ends the upload in state %i, saying why', async (state, reason) => {
    server.endNextUploadIn(state);
    const attempt = uploadFile(options());
    await expect(attempt).rejects.toBeInstanceOf(UploadEndedError);
    await expect(attempt).rejects.toMatchObject({ kind: 'permanent', message: stringMatching(reason) });
    expect(server.state.storedFiles.size).toBe(0);
  });

  it('refuses a file changed since Archivist wrote it', async () => {
    const small = join(dir, 'm.scc');
    await writeFile(small, 'Scenarist_SCC V1.0\n');
    const attempt = uploadFile(options({ source: { what: 'sidecar', path: small, fileName: 'm.scc', expectedSha256: '0'.repeat(64) } }));
    await expect(attempt).rejects.toThrow(/changed since Archivist wrote it/);
    expect(server.state.fileUploads.size).toBe(0);
  });

  it('starts afresh when the file changed since the saved progress', async () => {
    const small = join(dir, 'n.scc');
    await writeFile(small, 'first version');
    const first = await uploadFile(options({ source: { what: 'sidecar', path: small, fileName: 'n.scc' } }));
    await writeFile(small, 'second version, longer');
    const second = await uploadFile(options({ source: { what: 'sidecar', path: small, fileName: 'n.scc' }, previous: first }));
    expect(second.uploadId).not.toBe(first.uploadId);
    expect(second.size).toBe('second version, longer'.length);
  });
});
