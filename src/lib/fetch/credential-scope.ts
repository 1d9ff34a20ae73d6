import { UsageError } from '../errors.js';

export interface CredentialScope {
  /** The configured Cablecast origin (scheme, host and port): credentials always go there. */
  origin: string | URL;
  /** Other hosts, `host` or `host:port` (`cablecast.mediaHosts`), that may have them over HTTPS. */
  mediaHosts?: readonly string[] | undefined;
}

/**
 * Whether a request to `url` may carry the Cablecast credentials: only to the configured
 * origin exactly, or over HTTPS to a host the operator listed. A VOD address or a redirect
 * pointing anywhere else gets none, and nobody but the configured origin gets them in clear.
 */
export function mayReceiveCredentials(url: URL, scope: CredentialScope): boolean {
  if (url.origin === new URL(scope.origin).origin) return true;
  if (url.protocol !== 'https:') return false;
  return (scope.mediaHosts ?? []).some((entry) => normalizeMediaHost(entry) === url.host);
}

/**
 * A `cablecast.mediaHosts` entry as URL.host spells it (lower case, punycode, no :443), so
 * `Media.Example.org` and `media.example.org:443` both match `https://media.example.org/`.
 */
export function normalizeMediaHost(entry: string): string {
  const trimmed = entry.trim();
  let url: URL | undefined;
  try {
    url = new URL(`https://${trimmed}`);
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    trimmed === '' ||
    url.pathname !== '/' ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new UsageError(`cablecast.mediaHosts: ${JSON.stringify(entry)} is not a host name (with an optional :port)`);
  }
  return url.host;
}
