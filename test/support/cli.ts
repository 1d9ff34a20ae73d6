import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { DatabaseHandle } from '../../src/lib/db/connect.js';
import { main } from '../../src/main.js';
import { compiled } from './compiled.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The built bin: only the smoke tests of the bin itself use it (npm test builds first). */
export const BUILT_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** The bin from this run's compile of the sources, for tests that need a real process: nothing stale is tested. */
export const SOURCE_CLI = compiled(fileURLToPath(new URL('../../src/cli.ts', import.meta.url)));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Environment for a command: nothing from the developer's own setup leaks in. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ARCHIVIST_LOG_LEVEL: 'warn', ...extra };
}

/** A stream that keeps what is written to it, standing in for stdout or stderr. */
export class Capture extends Writable {
  text = '';
  isTTY: boolean;
  columns: number | undefined;
  constructor(options: { isTTY?: boolean; columns?: number } = {}) {
    super();
    this.isTTY = options.isTTY ?? false;
    this.columns = options.columns;
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface RunOptions {
  /** An open job database the command uses instead of opening its own (see TestDatabase.run). */
  database?: DatabaseHandle;
  cwd?: string;
  /** Abort it with an Interrupted to stand in for SIGINT/SIGTERM. */
  signal?: AbortSignal;
  /** Stands in for a terminal when it says so (`new Capture({ isTTY: true, columns: 80 })`); a file or a pipe otherwise. */
  stdout?: Capture;
  stderr?: Capture;
}

/** Runs `archivist <args>` in this process, as the bin would, and returns what it printed and its exit code. */
export async function runArchivist(args: readonly string[], env: Record<string, string>, options: RunOptions = {}): Promise<CliResult> {
  const stdout = options.stdout ?? new Capture();
  const stderr = options.stderr ?? new Capture();
  const exitCode = await main(args, {
    stdout,
    stderr,
    env: cliEnv(env),
    cwd: options.cwd ?? REPO,
    signal: options.signal ?? new AbortController().signal,
    database: options.database,
  });
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}

/**
 * Runs `archivist` as a real process: for what needs one (signals, the process exit, a second
 * process on the embedded database). Never throws on a non-zero exit.
 */
export function spawnArchivist(
  args: readonly string[],
  env: Record<string, string>,
  options: {
    cwd?: string;
    bin?: 'source' | 'built';
    /** Test hooks (TypeScript files under test/support) preloaded with --import (source bin only). */ imports?: readonly string[];
  } = {},
) {
  const preload = (options.imports ?? []).flatMap((hook) => ['--import', compiled(hook)]);
  const command = options.bin === 'built' ? ['node', BUILT_CLI] : ['node', ...preload, SOURCE_CLI];
  return execa(command[0] ?? 'node', [...command.slice(1), ...args], {
    env: cliEnv(env),
    extendEnv: false,
    reject: false,
    // A test that signals the process waits for its own exit: execa's SIGKILL 5 s after a
    // SIGTERM would cut short a hand-back that is slow on a loaded machine. Tests that want
    // SIGKILL send it.
    forceKillAfterDelay: false,
    cwd: options.cwd ?? REPO,
  });
}
