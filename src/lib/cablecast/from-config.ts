import type { CablecastSettings } from '../config/schema.js';
import type { CablecastClientOptions } from './client.js';

/** The client options a configured station implies; `signal` stops retries when a run is interrupted. */
export function clientOptionsFromSettings(settings: CablecastSettings, signal?: AbortSignal): CablecastClientOptions {
  return {
    url: settings.url,
    username: settings.username,
    password: settings.password,
    verifyTls: settings.verifyTls,
    caFile: settings.caFile,
    timeoutMs: settings.timeoutSeconds * 1000,
    retries: settings.retries,
    signal,
  };
}
