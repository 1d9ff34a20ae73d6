import type { CablecastSettings } from '../config/schema.js';
import type { CablecastClientOptions } from './client.js';

/**
 * The client options a configured station implies; `signal` stops retries when a run is
 * interrupted, and `maxRetries` caps cablecast.retries for a command that must answer soon.
 */
export function clientOptionsFromSettings(settings: CablecastSettings, signal?: AbortSignal, maxRetries?: number): CablecastClientOptions {
  return {
    url: settings.url,
    username: settings.username,
    password: settings.password,
    verifyTls: settings.verifyTls,
    caFile: settings.caFile,
    timeoutMs: settings.timeoutSeconds * 1000,
    retries: maxRetries === undefined ? settings.retries : Math.min(settings.retries, maxRetries),
    signal,
  };
}
