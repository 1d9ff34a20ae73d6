import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCablecastClient, type CablecastClient } from '../../src/lib/cablecast/index.js';
import { scanCablecast } from '../../src/lib/sources/cablecast-source.js';
import { captureLog } from '../support/cablecast-log.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';

let server: CablecastServer;
let client: CablecastClient;

beforeEach(async () => {
  server = await startCablecastServer();
  client = createCablecastClient({ url: server.url, verifyTls: true, retries: 0, retryBaseDelayMs: 5 }, captureLog().log);
});

afterEach(async () => {
  await client.close();
  await server.close();
});

describe('Cablecast discovery', () => {
  it('keeps the download path of a VOD with a hostile file name inside its folder', async () => {
    const show = server.addShow({ title: 'Council' });
    const vod = server.addVodFile(show.id, Buffer.from('mp4'), { fileName: '../../../../srv/precious\u001b[31m.mp4' });
    const workDir = '/var/lib/archivist/work';
    const scan = await scanCablecast(
      client,
      { key: 'flex1', name: 'Flex 1', share: '/mnt/flex1', patterns: [], depth: 2, location: show.location },
      { since: new Date(0), workDir, known: () => false, log: captureLog().log },
    );
    expect(scan.recordings.map((r) => r.path)).toEqual([join(workDir, 'vods', String(vod.id), '___.._.._.._srv_precious_[31m.mp4')]);
  });
});
