import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createCablecastClient } from './client.js';
import type { CablecastClient } from './client.js';

/** The configured Cablecast server's client, or null when no Cablecast is configured. */
export function cablecastFromConfig(config: Config, log: Logger, signal?: AbortSignal): CablecastClient | null {
  const settings = config.cablecast;
  if (!settings) return null;
  return createCablecastClient(
    {
      url: settings.url,
      username: settings.username,
      password: settings.password,
      verifyTls: settings.verifyTls,
      caFile: settings.caFile,
      timeoutMs: settings.timeoutSeconds * 1000,
      signal,
    },
    log,
  );
}
