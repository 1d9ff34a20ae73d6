import { afterEach, beforeEach } from 'vitest';
import { createCablecastClient, type CablecastClient, type CablecastClientOptions } from '../../src/lib/cablecast/index.js';
import { captureLog, type CapturedLog } from '../support/cablecast-log.js';
import { startCablecastServer, type CablecastServer, type CablecastServerOptions } from '../support/cablecast-server.js';

export const username = 'archivist';
export const password = 's3cret-Pa55';

export interface ClientWorld {
  server: CablecastServer;
  log: CapturedLog;
  client(overrides?: Partial<CablecastClientOptions>): CablecastClient;
}

/** A fresh test server and log for each test; every client made is closed after it. */
export function useCablecast(serverOptions: CablecastServerOptions = {}): ClientWorld {
  const clients: CablecastClient[] = [];
  const world = {
    client(overrides: Partial<CablecastClientOptions> = {}): CablecastClient {
      const created = createCablecastClient(
        { url: world.server.url, username, password, verifyTls: true, retries: 3, retryBaseDelayMs: 5, pageSize: 2, ...overrides },
        world.log.log,
      );
      clients.push(created);
      return created;
    },
  } as ClientWorld;
  beforeEach(async () => {
    world.server = await startCablecastServer({ username, password, ...serverOptions });
    world.log = captureLog();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await world.server.close();
  });
  return world;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
