import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { Logger } from 'pino';
import { UsageError, errorMessage } from '../errors.js';

export interface TlsOptions {
  /** Verification stays on unless a station explicitly opts out. */
  verifyTls: boolean;
  /** PEM bundle to trust in addition to the system roots (self-signed station certificates). */
  caFile?: string | undefined;
}

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
  if (!options.verifyTls) {
    log.warn(
      { setting: `${options.settingPrefix}.verifyTls` },
      'TLS certificate verification is OFF: anyone on the network path can impersonate the server; prefer caFile',
    );
  }
  return new Agent({
    connect: {
      rejectUnauthorized: options.verifyTls,
      // `ca` replaces Node's trusted roots; keep them, so a station CA for the API server does not
      // break a VOD host with a publicly issued certificate.
      ...(options.caFile === undefined ? {} : { ca: [...rootCertificates, readCaFile(options.caFile, options.settingPrefix)] }),
    },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
}

function readCaFile(path: string, settingPrefix: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${settingPrefix}.caFile`, [`${path}: ${errorMessage(error)}`], { cause: error });
  }
}
