import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Logger } from 'pino';
import { UsageError, errorMessage } from '../errors.js';

export interface TlsOptions {
  /** Verification stays on unless a station explicitly opts out. */
  verifyTls: boolean;
  /** PEM bundle to trust in addition to the system roots (self-signed station certificates). */
  caFile?: string | undefined;
}

/** What a TLS connection is opened with, for an undici Agent and for downloads (node:tls) alike. */
export interface TlsConnectOptions {
  rejectUnauthorized: boolean;
  ca?: string[];
}

/**
 * The TLS decision for one client, said out loud when verification is off; `settingPrefix`
 * names the config section, so the operator knows what to change.
 */
export function tlsConnectOptions(options: TlsOptions & { settingPrefix: string }, log: Logger): TlsConnectOptions {
  if (!options.verifyTls) {
    log.warn(
      { setting: `${options.settingPrefix}.verifyTls` },
      'TLS certificate verification is OFF: anyone on the network path can impersonate the server; prefer caFile',
    );
  }
  return {
    rejectUnauthorized: options.verifyTls,
    // `ca` replaces Node's trusted roots; keep them, so a station CA for the API server does not
    // break a VOD host with a publicly issued certificate.
    ...(options.caFile === undefined ? {} : { ca: [...rootCertificates, readCaFile(options.caFile, options.settingPrefix)] }),
  };
}

function readCaFile(path: string, settingPrefix: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${settingPrefix}.caFile`, [`${path}: ${errorMessage(error)}`], { cause: error });
  }
}
