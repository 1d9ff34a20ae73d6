/**
 * Errors that carry the process exit code they mean, so a command can throw from deep in
 * the library and the CLI still exits with the documented code (README, "Exit codes").
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

export class ArchivistError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad command line, bad config file, bad input file: exit 2. `problems` are one line each. */
export class UsageError extends ArchivistError {
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
    this.problems = problems;
  }
}

/** Something we depend on is not there or does not answer (database, Cablecast, engine, ffmpeg): exit 3. */
export class UnavailableError extends ArchivistError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.unavailable, options);
  }
}

/** Some of the requested work failed; the rest may have succeeded: exit 1. */
export class WorkFailedError extends ArchivistError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.workFailed, options);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
