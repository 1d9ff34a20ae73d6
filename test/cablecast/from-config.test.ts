import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cablecastFromConfig } from '../../src/lib/cablecast/index.js';
import { loadConfig } from '../../src/lib/config.js';
import { captureLog } from '../support/cablecast-log.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';

let server: CablecastServer;
let home: string;

beforeEach(async () => {
  server = await startCablecastServer({ username: 'archivist', password: 'pw', requireAuth: 'all' });
  home = await mkdtemp(join(tmpdir(), 'archivist-cablecast-config-'));
});

afterEach(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

describe('cablecastFromConfig', () => {
  it('builds a working, authenticated client from the environment settings', async () => {
    server.addShow({ title: 'Configured' });
    const config = await loadConfig({
      env: { HOME: home, CABLECAST_URL: server.origin, CABLECAST_USERNAME: 'archivist', CABLECAST_PASSWORD: 'pw' },
    });
    const client = cablecastFromConfig(config, captureLog().log);
    expect(client).not.toBeNull();
    try {
      const titles: string[] = [];
      for await (const detail of client!.listShows()) titles.push(detail.show.title);
      expect(titles).toEqual(['Configured']);
    } finally {
      await client?.close();
    }
  });

  it('is null when no Cablecast is configured', async () => {
    const config = await loadConfig({ env: { HOME: home } });
    expect(cablecastFromConfig(config, captureLog().log)).toBeNull();
  });
});
