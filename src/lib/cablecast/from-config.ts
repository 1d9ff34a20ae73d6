import type { Logger } from 'pino';
import type { CablecastSettings, Config } from '../config.js';
import { createCablecastClient, type CablecastClient, type CablecastClientOptions } from './client.js';

/** The client options a configured station implies; `signal` stops retries when a run is interrupted. */
export function clientOptionsFromSettings(settings: CablecastSettings, signal?: AbortSignal): CablecastClientOptions {
  return {
    url: settings.url,
    username: settings.username,
    password: settings.password,
    verifyTls: settings.verifyTls,
    caFile: settings.caFile,
    timeoutMs: settings.timeoutSeconds * 1000,
    signal,
  };
}

/** The configured Cablecast server's client, or null when no Cablecast is configured. */
export function cablecastFromConfig(config: Config, log: Logger, signal?: AbortSignal): CablecastClient | null {
  return config.cablecast ? createCablecastClient(clientOptionsFromSettings(config.cablecast, signal), log) : null;
}
