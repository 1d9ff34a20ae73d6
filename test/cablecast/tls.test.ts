import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CablecastNetworkError, createCablecastClient, type CablecastClientOptions } from '../../src/lib/cablecast/index.js';
import { UsageError } from '../../src/lib/errors.js';
import { captureLog } from '../support/cablecast-log.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { makeSelfSignedCertificate, type SelfSignedCertificate } from '../support/cablecast-tls.js';

let certificate: SelfSignedCertificate;
let server: CablecastServer;

beforeAll(async () => {
  certificate = await makeSelfSignedCertificate();
  server = await startCablecastServer({ tls: { key: certificate.key, cert: certificate.cert } });
  server.addShow({ title: 'Over TLS' });
});

afterAll(async () => {
  await server.close();
  await certificate.cleanup();
});

async function titles(options: Partial<CablecastClientOptions>, log = captureLog()): Promise<string[]> {
  const client = createCablecastClient({ url: server.url, verifyTls: true, retries: 0, ...options }, log.log);
  try {
    const found: string[] = [];
    for await (const detail of client.listShows()) found.push(detail.show.title);
    return found;
  } finally {
    await client.close();
  }
}

describe('TLS', () => {
  it('verifies certificates by default and says how to trust a self-signed one', async () => {
    const error = await titles({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CablecastNetworkError);
    expect((error as Error).message).toContain('cablecast.caFile');
  });

  it('trusts the certificate given as caFile', async () => {
    expect(await titles({ caFile: certificate.certFile })).toEqual(['Over TLS']);
  });

  it('connects without verification only when told to, and warns loudly', async () => {
    const log = captureLog();
    expect(await titles({ verifyTls: false }, log)).toEqual(['Over TLS']);
    const warning = log.entries().find((e) => e.level === 40 && e.msg.includes('TLS certificate verification is OFF'));
    expect(warning?.setting).toBe('cablecast.verifyTls');
  });

  it('reports an unreadable caFile as a configuration problem', async () => {
    await expect(titles({ caFile: '/nonexistent/ca.pem' })).rejects.toBeInstanceOf(UsageError);
  });
});
