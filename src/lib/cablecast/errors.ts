import { ArchivistError, TransientError, UnavailableError, UsageError } from '../errors.js';

/** 401/403: a configuration problem to fix, never "nothing found". */
export class CablecastAuthError extends UsageError {
  readonly status: number;
  readonly url: string;
  constructor(method: string, url: string, status: number) {
    super(
      `Cablecast refused ${method} ${url} (HTTP ${status})`,
      [
        status === 401
          ? 'check cablecast.username and cablecast.password'
          : 'check cablecast.username/password and that this Cablecast user may do this',
      ],
      { dependency: 'cablecast' },
    );
    this.status = status;
    this.url = url;
  }
}

/** Any other unexpected status; 5xx and 429 (after retries) mean Cablecast is unavailable. */
export class CablecastHttpError extends ArchivistError {
  readonly status: number;
  readonly url: string;
  readonly bodyExcerpt: string;
  constructor(method: string, url: string, status: number, bodyExcerpt: string) {
    super(
      `Cablecast answered HTTP ${status} to ${method} ${url}${bodyExcerpt === '' ? '' : `: ${bodyExcerpt}`}`,
      status >= 500 || status === 429 ? 'unavailable' : 'transient',
      { dependency: 'cablecast' },
    );
    this.status = status;
    this.url = url;
    this.bodyExcerpt = bodyExcerpt;
  }
}

export class CablecastNetworkError extends UnavailableError {
  readonly url: string;
  constructor(method: string, url: string, cause: unknown) {
    super(`cannot reach Cablecast for ${method} ${url}: ${describeNetworkError(cause)}`, 'cablecast', { cause });
    this.url = url;
  }
}

/**
 * A write of text into a custom field that is not a `string` field: a select or tag field
 * holds option ids, a file field a file. A configuration problem, refused before any request.
 */
export class CablecastFieldTypeError extends UsageError {
  readonly showId: number;
  readonly fieldName: string;
  readonly fieldType: string | null;
  constructor(showId: number, fieldName: string, fieldType: string | null) {
    super(
      fieldType === null
        ? `Cablecast does not say what type the show custom field "${fieldName}" is (show ${showId}); Archivist writes only into string fields`
        : `Cablecast show custom field "${fieldName}" is a ${fieldType} field (show ${showId}); Archivist writes text only into string fields`,
      ['name a text (string) custom field for the write-back, or create one in Cablecast'],
    );
    this.showId = showId;
    this.fieldName = fieldName;
    this.fieldType = fieldType;
  }
}

/** A 2xx whose body is not JSON or not the documented shape. */
export class CablecastResponseError extends UnavailableError {
  readonly url: string;
  constructor(method: string, url: string, problem: string, bodyExcerpt: string) {
    super(
      `unexpected Cablecast response to ${method} ${url}: ${problem}${bodyExcerpt === '' ? '' : ` (body: ${bodyExcerpt})`}`,
      'cablecast',
    );
    this.url = url;
  }
}

/**
 * One show's record, asked for by id, is not in a shape we can read, while the answer around it
 * was: that show's item fails (and is retried later), never every step that needs Cablecast.
 */
export class CablecastRecordError extends TransientError {
  readonly showId: number;
  constructor(showId: number, url: string, problem: string) {
    super(`Cablecast's record of show ${showId} cannot be read (${problem}), at GET ${url}`);
    this.showId = showId;
  }
}

const tlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function describeNetworkError(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  if (code !== undefined && tlsCodes.has(code)) {
    return `${message} (the certificate is not trusted: set cablecast.caFile to the station's CA or certificate)`;
  }
  return code === undefined || message.includes(code) ? message : `${message} (${code})`;
}

export function bodyExcerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
