import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Logger, LevelWithSilent } from 'pino';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { ArchivistError, ExitCode, UsageError, errorMessage } from '../errors.js';
import { createLogger } from '../log.js';
import { finishRun } from '../runs/finish-run.js';
import { startRun } from '../runs/start-run.js';
import { startProgress, type Progress } from './progress.js';

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  logLevel?: LevelWithSilent;
}

export interface CommandContext {
  config: Config;
  log: Logger;
  /** --json: print one JSON document on stdout instead of tables. */
  json: boolean;
  /** A person is watching (stderr is a terminal and not --json): spinners and bars allowed. */
  interactive: boolean;
  print(text: string): void;
  printJson(value: unknown): void;
  /** Opens the job database on first use (migrated); closed when the command ends. */
  db(): Promise<Kysely<Database>>;
  /** Aborted on SIGINT/SIGTERM: stop claiming work, end children, hand jobs back. */
  signal: AbortSignal;
  /** Stored in this invocation's `runs` row. */
  setSummary(summary: unknown): void;
  progress(text: string): Progress;
}

export interface ActionOptions {
  /** false for pure utilities that need no database: no `runs` row is written. */
  record?: boolean;
  /** false only for `db migrate`, which runs the migrations itself to report them. */
  migrate?: boolean;
}

/** How long a command may take to wind down after SIGTERM before it is cut off. */
export const STOP_GRACE_MS = 60_000;

const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated };

function reportError(error: unknown, log: Logger | undefined): number {
  if (error instanceof ArchivistError) {
    process.stderr.write(`archivist: ${error.message}\n`);
    if (error instanceof UsageError) for (const line of error.problems) process.stderr.write(`  ${line}\n`);
    log?.debug({ err: error }, 'command failed');
    return error.exitCode;
  }
  process.stderr.write(`archivist: ${errorMessage(error)}\n`);
  log?.error({ err: error }, 'unexpected error');
  return ExitCode.workFailed;
}

/**
 * Wraps a command's work with everything every command needs: configuration, logging,
 * the database, a `runs` row, signal handling and the documented exit codes. The process
 * exits when the work ends, so a lingering socket cannot keep a systemd unit alive.
 */
export function action<A extends unknown[]>(
  name: string,
  work: (ctx: CommandContext, ...args: A) => Promise<number | void>,
  options: ActionOptions = {},
): (...args: unknown[]) => Promise<void> {
  return async (...raw: unknown[]) => {
    const command = raw[raw.length - 1] as Command;
    const globals = command.optsWithGlobals<GlobalOptions>();
    const args = raw.slice(0, -1) as A;
    const controller = new AbortController();
    let received: 'SIGINT' | 'SIGTERM' | undefined;
    const onSignal = (sig: 'SIGINT' | 'SIGTERM') => () => {
      if (received) {
        process.stderr.write(`archivist: second ${sig}, exiting now\n`);
        process.exit(SIGNAL_EXIT[sig]);
      }
      received = sig;
      controller.abort(new Error(`received ${sig}`));
      setTimeout(() => {
        process.stderr.write(`archivist: did not stop within ${STOP_GRACE_MS / 1000}s of ${sig}; exiting\n`);
        process.exit(SIGNAL_EXIT[sig]);
      }, STOP_GRACE_MS).unref();
    };
    process.on('SIGINT', onSignal('SIGINT'));
    process.on('SIGTERM', onSignal('SIGTERM'));

    let log: Logger | undefined;
    let handle: DatabaseHandle | undefined;
    let runId: number | undefined;
    let summary: unknown;
    let exitCode: number;
    try {
      log = createLogger({ level: globals.logLevel ?? (process.env.ARCHIVIST_LOG_LEVEL as LevelWithSilent | undefined) ?? 'info' });
      const config = await loadConfig(globals.config ? { file: globals.config } : {});
      const activeLog = log.child({ command: name });
      const json = globals.json === true;
      const interactive = !json && Boolean(process.stderr.isTTY);
      const db = async (): Promise<Kysely<Database>> => {
        handle ??= await openDatabase({
          ...(config.database.url ? { url: config.database.url } : {}),
          stateDir: config.paths.state,
          embeddedLockWaitSeconds: config.database.embeddedLockWaitSeconds,
          migrate: options.migrate ?? true,
          signal: controller.signal,
        });
        return handle.db;
      };
      if (options.record !== false) runId = await startRun(await db(), name);
      const ctx: CommandContext = {
        config,
        log: activeLog,
        json,
        interactive,
        print: (text) => process.stdout.write(`${text}\n`),
        printJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
        db,
        signal: controller.signal,
        setSummary: (value) => {
          summary = value;
        },
        progress: (text) => startProgress(text, { interactive, log: activeLog }),
      };
      exitCode = (await work(ctx, ...args)) ?? ExitCode.ok;
      if (received) exitCode = SIGNAL_EXIT[received];
    } catch (error) {
      exitCode = received && !(error instanceof ArchivistError) ? SIGNAL_EXIT[received] : reportError(error, log);
    }
    try {
      if (handle && runId !== undefined) await finishRun(handle.db, runId, exitCode, summary);
    } catch (error) {
      log?.error({ err: error }, 'could not record the end of this run');
    }
    await handle?.close().catch((error: unknown) => log?.error({ err: error }, 'closing the database failed'));
    log?.flush();
    process.exit(exitCode);
  };
}
