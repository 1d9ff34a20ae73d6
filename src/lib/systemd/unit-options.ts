import { posix } from 'node:path';
import { UsageError } from '../errors.js';

/** What varies between installations; everything else in the units is fixed on purpose. */
export interface UnitOptions {
  /** Absolute path of the archivist executable that ExecStart= runs. */
  bin: string;
  user: string;
  group: string;
  /**
   * Writable despite ProtectSystem=strict, for the units that write beside recordings.
   * A leading "-" means "skip when missing" (systemd's own syntax).
   */
  readWritePaths: readonly string[];
}

/** The content shares are mounted under /mnt; "-" keeps a host without shares startable. */
export const DEFAULT_SHARES_PATH = '-/mnt';

export const DEFAULT_UNIT_OPTIONS: UnitOptions = {
  bin: '/usr/local/bin/archivist',
  user: 'archivist',
  group: 'archivist',
  readWritePaths: [DEFAULT_SHARES_PATH],
};

export interface UnitOptionsInput {
  bin?: string;
  user?: string;
  group?: string;
  /** Added to the shares path, not replacing it. */
  rwPaths?: readonly string[];
}

/**
 * Paths go into unit files unquoted, where whitespace separates list items and "%", "$" and
 * "\" are specifier, variable and escape characters: allowing only plain characters keeps the
 * rendered line meaning exactly the path that was given.
 */
const PLAIN_ABSOLUTE_PATH = /^\/[A-Za-z0-9._+@:/-]*$/;
const ACCOUNT_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

function pathProblem(flag: string, path: string): string | null {
  if (!PLAIN_ABSOLUTE_PATH.test(path)) {
    return `${flag}: "${path}" must be an absolute path of letters, digits and . _ + @ : - / only`;
  }
  if (posix.normalize(path) !== path || (path.length > 1 && path.endsWith('/'))) {
    return `${flag}: "${path}" must be written without "//", "/./", "/../" or a trailing "/"`;
  }
  return null;
}

function accountProblem(flag: string, name: string): string | null {
  if (!ACCOUNT_NAME.test(name)) {
    return `${flag}: "${name}" is not a valid user or group name (lower-case letters, digits, "_" and "-")`;
  }
  if (name === 'root') return `${flag}: the services must not run as root; create a dedicated user (see "Running under systemd" in README.md)`;
  return null;
}

/** Fills in defaults and checks every value, reporting all problems at once (exit 2). */
export function resolveUnitOptions(input: UnitOptionsInput): UnitOptions {
  const bin = input.bin ?? DEFAULT_UNIT_OPTIONS.bin;
  const user = input.user ?? DEFAULT_UNIT_OPTIONS.user;
  const group = input.group ?? user;
  const extra = input.rwPaths ?? [];
  const problems = [
    pathProblem('--bin', bin),
    accountProblem('--user', user),
    accountProblem('--group', group),
    ...extra.map((p) => pathProblem('--rw-path', p.startsWith('-') ? p.slice(1) : p)),
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) throw new UsageError('invalid systemd unit options', problems);
  const readWritePaths = [...new Set([...DEFAULT_UNIT_OPTIONS.readWritePaths, ...extra])];
  return { bin, user, group, readWritePaths };
}
