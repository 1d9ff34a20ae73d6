import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCablecastClient } from '../../src/lib/cablecast/client.js';
import { clientOptionsFromSettings } from '../../src/lib/cablecast/from-config.js';
import { loadConfig } from '../../src/lib/config/load.js';
import { createTestDatabase } from '../support/database.js';
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

describe('the Cablecast client a configuration implies', () => {
  it('builds a working, authenticated client from the environment settings', async () => {
    server.addShow({ title: 'Configured' });
    const config = await loadConfig({
      env: { HOME: home, CABLECAST_URL: server.origin, CABLECAST_USERNAME: 'archivist', CABLECAST_PASSWORD: 'pw' },
      cwd: home,
    });
    if (config.cablecast === undefined) throw new Error('the environment configured no Cablecast');
    const client = createCablecastClient(clientOptionsFromSettings(config.cablecast), captureLog().log);
    try {
      const titles: string[] = [];
      for await (const detail of client.listShows()) titles.push(detail.show.title);
      expect(titles).toEqual(['Configured']);
    } finally {
      await client.close();
    }
  });

  it('caps cablecast.retries for a command that must answer soon, and never raises it', async () => {
    // cablecast.retries is 4 unless set.
    const config = await loadConfig({ env: { HOME: home, CABLECAST_URL: server.origin }, cwd: home });
    if (config.cablecast === undefined) throw new Error('the environment configured no Cablecast');
    expect(clientOptionsFromSettings(config.cablecast).retries).toBe(4);
    expect(clientOptionsFromSettings(config.cablecast, undefined, 1).retries).toBe(1);
    expect(clientOptionsFromSettings(config.cablecast, undefined, 6).retries).toBe(4);
  });

  it('a command that needs Cablecast when none is configured exits 2 naming the setting', async () => {
    const testDb = await createTestDatabase();
    const result = await testDb.run(['link-queue', '--dry-run'], { HOME: home }).finally(() => testDb.drop());
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('link-queue needs Cablecast');
    expect(result.stderr).toContain('set cablecast.url in the configuration (or CABLECAST_URL)');
  });
});
