import type { Env } from '../config/schema.js';
import type { DatabaseHandle } from '../db/connect.js';
import { ExitCode } from '../errors.js';

/** Where a command writes: process.stdout/stderr for the bin, in-memory streams in tests. */
export type OutputStream = NodeJS.WritableStream & {
  /** A person is watching: spinners, bars and colour are allowed. */
  isTTY?: boolean | undefined;
  columns?: number | undefined;
};

/**
 * Everything a command takes from its process, given once by whoever runs it (the bin, or a
 * test running commands in-process): nothing below reads process.env, process.cwd() or the
 * process streams itself.
 */
export interface CommandIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Env;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM, with an Interrupted as its reason. */
  signal: AbortSignal;
  /** An already-open job database to use instead of opening one (tests): the command never closes it. */
  database?: DatabaseHandle | undefined;
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The abort reason of an interrupted command. */
export class Interrupted extends Error {
  readonly signal: StopSignal;
  constructor(signal: StopSignal) {
    super(`received ${signal}`);
    this.name = 'Interrupted';
    this.signal = signal;
  }

  get exitCode(): number {
    return this.signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated;
  }
}
