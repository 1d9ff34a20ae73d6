import { Agent } from 'undici';
import type { Logger } from 'pino';
import { tlsConnectOptions, type TlsOptions } from './tls-options.js';

export interface AgentOptions extends TlsOptions {
  timeoutMs: number;
  /** Which setting to name in messages, so the operator knows what to change. */
  settingPrefix: string;
}

/**
 * One undici Agent per client: it owns the TLS decision and the timeouts, so no request can
 * quietly fall back to the global dispatcher's defaults.
 */
export function createAgent(options: AgentOptions, log: Logger): Agent {
  return new Agent({
    connect: tlsConnectOptions(options, log),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
}
