/**
 * The one error model (README, "Errors and exit codes"). Every error Archivist raises is one of
 * four kinds, and the kind alone decides what happens to a job and to the exit code:
 *
 * - usage: the command line, the configuration or an input file is wrong; a person must fix it.
 * - unavailable: something we depend on (database, Cablecast, engine, ffmpeg) is not there or
 *   does not answer; the work waits for the next run.
 * - permanent: this item can never succeed (no audio, gone); retrying cannot help.
 * - transient: this item failed this time; it is retried after a backoff.
 *
 * Anything else that is thrown (an errno, a bug) counts as transient.
 */
export const ExitCode = {
  ok: 0,
  workFailed: 1,
  usage: 2,
  unavailable: 3,
  interrupted: 130,
  terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What work needs besides the job database and the files: a step whose dependency fails waits for the next run. */
export type Dependency = 'database' | 'cablecast' | 'engine' | 'ffmpeg';

export type ErrorKind = 'usage' | 'unavailable' | 'permanent' | 'transient';

const EXIT_CODE_OF: Record<ErrorKind, ExitCodeValue> = {
  usage: ExitCode.usage,
  unavailable: ExitCode.unavailable,
  permanent: ExitCode.workFailed,
  transient: ExitCode.workFailed,
};

export interface ArchivistErrorOptions {
  cause?: unknown;
  /** The dependency at fault: its steps wait while the others go on. */
  dependency?: Dependency;
  /** One line per problem, printed under the message (a config file's fields, say). */
  problems?: readonly string[];
  /** For transient errors: the server asked us to wait this long. */
  retryAfterSeconds?: number;
}

export class ArchivistError extends Error {
  readonly kind: ErrorKind;
  readonly dependency: Dependency | undefined;
  readonly problems: readonly string[];
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, kind: ErrorKind, options: ArchivistErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.dependency = options.dependency;
    this.problems = options.problems ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get exitCode(): ExitCodeValue {
    return EXIT_CODE_OF[this.kind];
  }
}

/** Bad command line, configuration or input file (exit 2). `problems` are one line each. */
export class UsageError extends ArchivistError {
  constructor(message: string, problems: readonly string[] = [], options: Omit<ArchivistErrorOptions, 'problems'> = {}) {
    super(message, 'usage', { ...options, problems });
  }
}

/** A dependency is not there or does not answer (exit 3). */
export class UnavailableError extends ArchivistError {
  declare readonly dependency: Dependency;
  constructor(message: string, dependency: Dependency, options: Omit<ArchivistErrorOptions, 'dependency'> = {}) {
    super(message, 'unavailable', { ...options, dependency });
  }
}

/** This item can never succeed: its job ends `dead` at once. */
export class PermanentError extends ArchivistError {
  constructor(message: string, options: ArchivistErrorOptions = {}) {
    super(message, 'permanent', options);
  }
}

/** This item failed this time and may succeed later: its job is retried after a backoff. */
export class TransientError extends ArchivistError {
  constructor(message: string, options: ArchivistErrorOptions = {}) {
    super(message, 'transient', options);
  }
}

/** The kind of any thrown value. */
export function errorKind(error: unknown): ErrorKind {
  return error instanceof ArchivistError ? error.kind : 'transient';
}

/**
 * Exit codes by how much they ask of a person: a configuration to fix (2) before a dependency to
 * wait for (3), before items that failed (1). Interruptions are decided by the signal, not here.
 */
const SEVERITY: readonly number[] = [ExitCode.ok, ExitCode.workFailed, ExitCode.unavailable, ExitCode.usage];

export function mostSerious(codes: Iterable<number>): number {
  let worst: number = ExitCode.ok;
  for (const code of codes) if (SEVERITY.indexOf(code) > SEVERITY.indexOf(worst)) worst = code;
  return worst;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The errno code of a file-system or network error (`ENOENT`, `EACCES`), if it has one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' ? code : undefined;
}
