import { UnavailableError, errnoCode, errorMessage } from '../errors.js';

/** Network errors that mean the server cannot be reached or the connection is gone. */
const CONNECTION_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs after which the session is gone: the server shut down or restarted (57P01-57P03),
 * refused a new session (53300), ended one idle in a transaction or idle (25P03, 57P05).
 * Class 08 (connection exception) is matched by its prefix.
 */
const SESSION_ENDED = new Set(['57P01', '57P02', '57P03', '53300', '25P03', '57P05']);

/** The statement did not finish in time (statement_timeout, lock_timeout); the session itself is fine. */
const TOO_SLOW = new Set(['57014', '55P03']);

/** node-postgres's own words for a connection that is gone or never came (it gives them no code). */
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout expired$/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable/,
  /^Client was closed and is not queryable$/,
];

export type DatabaseFailure = 'connection' | 'statement';

/**
 * Whether an error from node-postgres means the database is unavailable, and if so whether
 * the connection it came on is unusable ('connection') or only that statement failed
 * ('statement'). Undefined for an ordinary SQL error (a constraint, a syntax error).
 */
export function databaseFailure(error: unknown): DatabaseFailure | undefined {
  if (error instanceof UnavailableError) return 'connection';
  const code = errnoCode(error);
  if (code !== undefined) {
    if (CONNECTION_ERRNO.has(code) || code.startsWith('08') || SESSION_ENDED.has(code)) return 'connection';
    if (TOO_SLOW.has(code)) return 'statement';
  }
  const message = errorMessage(error);
  return CONNECTION_MESSAGES.some((pattern) => pattern.test(message)) ? 'connection' : undefined;
}

/** The error as the error model sees it: a database that does not answer is unavailable (exit 3). */
export function asDatabaseError(error: unknown): unknown {
  if (error instanceof UnavailableError || databaseFailure(error) === undefined) return error;
  return new UnavailableError(`the database is not answering: ${errorMessage(error)}`, 'database', { cause: error });
}
