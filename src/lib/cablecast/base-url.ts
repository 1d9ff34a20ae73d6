import { UsageError } from '../errors.js';

/**
 * Operators paste anything from `https://host` to `https://host/CablecastAPI/v1/`; all of them
 * mean the same API root.
 */
export function normalizeBaseUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new UsageError(`cablecast.url is not a URL: ${JSON.stringify(input)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`cablecast.url must be http(s): ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError('cablecast.url must not contain credentials', ['put them in cablecast.username and cablecast.password']);
  }
  url.search = '';
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/cablecastapi\/v1$/i.test(path)) url.pathname = path;
  else if (/\/cablecastapi$/i.test(path)) url.pathname = `${path}/v1`;
  else url.pathname = `${path}/CablecastAPI/v1`;
  return url;
}

/** Joins an API path like `/shows/12` onto the base, keeping the base's own path. */
export function apiUrl(base: URL, path: string, query?: URLSearchParams): URL {
  const url = new URL(base.toString());
  url.pathname = `${base.pathname}${path}`;
  if (query !== undefined) url.search = query.toString();
  return url;
}
