import { posix } from 'node:path';
import { UsageError } from '../errors.js';
import { hiddenBy } from './hidden-paths.js';

/** Where StateDirectory=archivist and CacheDirectory=archivist put the units' own directories. */
export const SERVICE_STATE_DIR = '/var/lib/archivist';
export const SERVICE_CACHE_DIR = '/var/cache/archivist';
/** The config file the units read when they are not told another (ARCHIVIST_CONFIG). */
export const DEFAULT_SERVICE_CONFIG = '/etc/archivist/config.json';

/** What varies between installations; everything else in the units is fixed on purpose. */
export interface UnitOptions {
  /** Absolute path of the archivist executable that ExecStart= runs. */
  bin: string;
  user: string;
  group: string;
  /**
   * Writable despite ProtectSystem=strict, for the units that write files: the shares (a
   * leading "-", systemd's "skip when missing", so an unmounted share does not stop the run),
   * paths.work, paths.output and paths.state outside the units' own directories, and --rw-path.
   */
  readWritePaths: readonly string[];
  /** Writable for every unit: paths.state (the embedded database) when outside /var/lib/archivist. */
  stateWritePaths: readonly string[];
  /** RandomizedDelaySec= with FixedRandomDelay=: a delay fixed per host, for many hosts on one database. */
  spreadMinutes: number | undefined;
  /** ARCHIVIST_CONFIG for the units, when the config is not /etc/archivist/config.json. */
  configFile: string | undefined;
}

export const DEFAULT_UNIT_OPTIONS: UnitOptions = {
  bin: '/usr/local/bin/archivist',
  user: 'archivist',
  group: 'archivist',
  readWritePaths: [],
  stateWritePaths: [],
  spreadMinutes: undefined,
  configFile: undefined,
};

/** The paths the service's configuration points at, as the service sees them. */
export interface ServicePaths {
  shares: readonly { key: string; share: string }[];
  work: string;
  output: string;
  state: string;
}

export interface UnitOptionsInput {
  bin?: string | undefined;
  user?: string | undefined;
  group?: string | undefined;
  /** Added to the paths the configuration needs, not replacing them. */
  rwPaths?: readonly string[] | undefined;
  paths?: ServicePaths | undefined;
  spreadMinutes?: number | undefined;
  configFile?: string | undefined;
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

/** Inside the directories systemd makes writable for the units anyway. */
function ownDirectory(path: string): boolean {
  return [SERVICE_STATE_DIR, SERVICE_CACHE_DIR].some((dir) => path === dir || path.startsWith(`${dir}/`));
}

/** A path the configuration needs writable, named by the key it comes from. */
export interface NeededPath {
  key: string;
  path: string;
  /** ReadWritePaths= may skip it when it is missing (a share not mounted). */
  optional: boolean;
}

/** What the units must be able to write for this configuration, outside their own directories. */
export function neededPaths(paths: ServicePaths): NeededPath[] {
  return [
    ...paths.shares.map((s, i) => ({ key: `sites[${i}].share (${s.key})`, path: s.share, optional: true })),
    { key: 'paths.work', path: paths.work, optional: false },
    { key: 'paths.output', path: paths.output, optional: false },
    { key: 'paths.state', path: paths.state, optional: false },
  ].filter((p) => !ownDirectory(p.path));
}

/** Fills in defaults and checks every value, reporting all problems at once (exit 2). */
export function resolveUnitOptions(input: UnitOptionsInput): UnitOptions {
  const bin = input.bin ?? DEFAULT_UNIT_OPTIONS.bin;
  const user = input.user ?? DEFAULT_UNIT_OPTIONS.user;
  const group = input.group ?? user;
  const extra = input.rwPaths ?? [];
  const needed = input.paths ? neededPaths(input.paths) : [];
  const spread = input.spreadMinutes;
  const configFile = input.configFile === DEFAULT_SERVICE_CONFIG ? undefined : input.configFile;
  const binHidden = hiddenBy(bin);
  const problems = [
    pathProblem('--bin', bin),
    binHidden === undefined ? null : `--bin: ${bin} is under ${binHidden}, which the units cannot see; install archivist elsewhere`,
    accountProblem('--user', user),
    accountProblem('--group', group),
    ...extra.map((p) => pathProblem('--rw-path', p.startsWith('-') ? p.slice(1) : p)),
    ...needed.map((p) => pathProblem(p.key, p.path)),
    configFile === undefined ? null : pathProblem('--config', configFile),
    spread === undefined || (Number.isInteger(spread) && spread >= 1 && spread <= 720)
      ? null
      : `--spread: expected whole minutes from 1 to 720, got ${String(spread)}`,
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) throw new UsageError('invalid systemd unit options', problems);
  const readWritePaths = [...new Set([...needed.map((p) => (p.optional ? `-${p.path}` : p.path)), ...extra])];
  const stateWritePaths = needed.filter((p) => p.key === 'paths.state').map((p) => p.path);
  return { bin, user, group, readWritePaths, stateWritePaths, spreadMinutes: spread, configFile };
}
