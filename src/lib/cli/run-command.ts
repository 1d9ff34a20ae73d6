import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { CablecastClient } from '../cablecast/client.js';
import { loadConfig } from '../config/load.js';
import type { Config, Env } from '../config/schema.js';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import type { Db } from '../db/schema.js';
import { ArchivistError, ExitCode, UsageError, errorMessage } from '../errors.js';
import { LOG_LEVELS, type LogLevel } from '../log-levels.js';
import { createLogger } from '../log.js';
import type { PipelineChoices, PipelineDeps } from '../pipeline/deps.js';
import { resolveEngine } from '../pipeline/resolve-engine.js';
import { passwordsInUrl, redactSecrets } from '../text/redact-secrets.js';
import { wantsColour } from '../text/colour.js';
import { lineWidthOf, type LineWidth } from '../text/line-width.js';
import { stringifyForTerminal, terminalSafe } from '../text/terminal-safe.js';
import { finishRun } from '../runs/finish-run.js';
import type { SnapshotKeeper } from '../status/snapshot.js';
import { startRun } from '../runs/start-run.js';
import { Interrupted, type CommandIo } from './io.js';
import { progressFactory, type ProgressFactory } from './progress.js';

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  logLevel?: LogLevel;
}

export interface CommandContext {
  readonly name: string;
  readonly config: Config;
  readonly log: Logger;
  /** --json: print one JSON document on stdout instead of tables. */
  readonly json: boolean;
  /** A person is watching (stderr is a terminal and not --json): spinners, bars and colour allowed. */
  readonly interactive: boolean;
  readonly env: Env;
  /** What relative paths given on the command line are relative to. */
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: stop claiming work, end children, hand jobs back. */
  readonly signal: AbortSignal;
  readonly progress: ProgressFactory;
  /** Where stdout goes: the width to lay it out for (a terminal's cuts, 100 columns off one cut nothing) and whether to colour it. */
  readonly terminal: { readonly width: LineWidth; readonly colour: boolean };
  // Function-valued members, not methods: commands hand them on unbound (`checkDatabase(ctx.db)`).
  readonly print: (text: string) => void;
  readonly printJson: (value: unknown) => void;
  /** A line for a person on stderr: a refusal or a note that is not the command's output. */
  readonly warn: (text: string) => void;
  /** The job database, opened (and migrated) on first use and closed when the command ends. */
  readonly db: () => Promise<Db>;
  /** The run's one Cablecast client, built on first use; a usage error when none is configured. */
  readonly cablecast: () => Promise<CablecastClient>;
  /** What the pipeline's steps get from this command. */
  readonly pipeline: (choices?: PipelineChoices) => PipelineDeps;
  /** Stored in this invocation's `runs` row. */
  readonly setSummary: (summary: unknown) => void;
}

export interface ActionOptions {
  /**
   * false for pure utilities that need no database: no `runs` row is written. `on-open`: the
   * row is written when the command first opens the database (status, which may answer from a
   * snapshot without opening it).
   */
  record?: boolean | 'on-open';
  /** false only for `db migrate`, which runs the migrations itself to report them. */
  migrate?: boolean;
  /** At most this many retries of a Cablecast request, whatever cablecast.retries says (doctor). */
  cablecastRetries?: number;
}

export interface CommandRuntime {
  io: CommandIo;
  /** What the command's action decided; main() returns it. */
  exitCode: number;
}

type Work = (ctx: CommandContext) => Promise<number>;

/** A line for the terminal from text that may quote outside data or a secret: both made harmless. */
function shownLine(text: string, secrets: readonly string[]): string {
  return terminalSafe(redactSecrets(text, secrets));
}

function reportError(io: CommandIo, error: unknown, log: Logger | undefined, secrets: readonly string[]): number {
  if (error instanceof ArchivistError) {
    io.stderr.write(`archivist: ${shownLine(error.message, secrets)}\n`);
    for (const line of error.problems) io.stderr.write(`  ${shownLine(line, secrets)}\n`);
    log?.debug({ err: error }, 'command failed');
    return error.exitCode;
  }
  io.stderr.write(`archivist: ${shownLine(errorMessage(error), secrets)}\n`);
  log?.error({ err: error }, 'unexpected error');
  return ExitCode.workFailed;
}

/** The configured passwords: hidden wherever they turn up, on top of the shapes redactSecrets knows. */
function configuredSecrets(config: Config): string[] {
  const database = config.database.url === undefined ? [] : passwordsInUrl(config.database.url);
  return [config.cablecast?.password, ...database].filter((secret): secret is string => secret !== undefined && secret !== '');
}

function logLevel(globals: GlobalOptions, env: Env): LogLevel {
  if (globals.logLevel) return globals.logLevel;
  const fromEnv = env.ARCHIVIST_LOG_LEVEL;
  if (fromEnv === undefined || fromEnv === '') return 'info';
  const known = LOG_LEVELS.find((level) => level === fromEnv);
  if (known === undefined)
    throw new UsageError('invalid environment', [`ARCHIVIST_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${fromEnv}"`]);
  return known;
}

/**
 * Runs one command with everything every command needs: configuration, logging, the
 * database, a `runs` row, the lazily built Cablecast client, and the documented exit codes.
 * Returns the exit code; only the bin ends the process.
 */
export async function runCommand(
  io: CommandIo,
  name: string,
  globals: GlobalOptions,
  work: Work,
  options: ActionOptions = {},
): Promise<number> {
  let log: Logger | undefined;
  let opened: DatabaseHandle | undefined;
  let db: Db | undefined;
  let cablecast: Promise<CablecastClient> | undefined;
  let runId: number | undefined;
  let summary: unknown;
  let exitCode: number;
  let secrets: readonly string[] = [];
  let snapshots: SnapshotKeeper | undefined;
  const interruption = (): Interrupted | undefined => (io.signal.reason instanceof Interrupted ? io.signal.reason : undefined);
  try {
    const json = globals.json === true;
    const interactive = !json && io.stderr.isTTY === true;
    const level = logLevel(globals, io.env);
    const config = await loadConfig({ file: globals.config, env: io.env, cwd: io.cwd });
    secrets = configuredSecrets(config);
    log = createLogger({
      level,
      destination: io.stderr,
      pretty: io.stderr.isTTY === true,
      secrets,
      journald: (io.env.JOURNAL_STREAM ?? '') !== '',
    });
    const commandLog = log.child({ command: name });
    const openDb = async (): Promise<Db> => {
      if (db) return db;
      if (io.database) db = io.database.db;
      else {
        opened = await openDatabase({
          url: config.database.url,
          stateDir: config.paths.state,
          embeddedLockWaitSeconds: config.database.embeddedLockWaitSeconds,
          timeouts: config.database,
          migrate: options.migrate ?? true,
          signal: io.signal,
        });
        db = opened.db;
      }
      if (options.record === 'on-open') runId = await startRun(db, name);
      return db;
    };
    const openCablecast = async (): Promise<CablecastClient> => {
      const settings = config.cablecast;
      if (settings === undefined) {
        throw new UsageError(`${name} needs Cablecast`, ['set cablecast.url in the configuration (or CABLECAST_URL)'], {
          dependency: 'cablecast',
        });
      }
      // Loaded on first use: most commands never talk to Cablecast.
      const [{ createCablecastClient }, { clientOptionsFromSettings }] = await Promise.all([
        import('../cablecast/client.js'),
        import('../cablecast/from-config.js'),
      ]);
      return createCablecastClient(clientOptionsFromSettings(settings, io.signal, options.cablecastRetries), commandLog);
    };
    const progress = progressFactory({ interactive, stream: io.stderr, log: commandLog });
    if (options.record === undefined || options.record === true) {
      runId = await startRun(await openDb(), name);
      if (opened?.kind === 'embedded') {
        const { keepSnapshots } = await import('../status/snapshot.js');
        snapshots = keepSnapshots({
          db: opened.db,
          stateDir: config.paths.state,
          command: name,
          database: { kind: opened.kind, location: opened.location },
          log: commandLog,
        });
      }
    }
    const ctx: CommandContext = {
      name,
      config,
      log: commandLog,
      json,
      interactive,
      env: io.env,
      cwd: io.cwd,
      signal: io.signal,
      progress,
      terminal: { width: lineWidthOf(io.stdout), colour: !json && wantsColour(io.stdout, io.env) },
      print: (text) => io.stdout.write(`${text}\n`),
      printJson: (value) => io.stdout.write(`${stringifyForTerminal(value, 2)}\n`),
      warn: (text) => io.stderr.write(`archivist: ${shownLine(text, secrets)}\n`),
      db: openDb,
      cablecast: () => (cablecast ??= openCablecast()),
      pipeline: (choices = {}) => ({
        config,
        engine: resolveEngine(config.engine, choices.engine),
        cablecast: ctx.cablecast,
        progress,
        env: io.env,
        now: () => new Date(),
        force: choices.force === true,
        discardEdits: choices.discardEdits === true,
        captionsOutDir: choices.captionsOutDir,
      }),
      setSummary: (value) => {
        summary = value;
      },
    };
    exitCode = await work(ctx);
    exitCode = interruption()?.exitCode ?? exitCode;
  } catch (error) {
    // An abort surfaces as whatever the interrupted operation threw; the signal decides the code.
    const interrupted = interruption();
    exitCode = interrupted && !(error instanceof ArchivistError) ? interrupted.exitCode : reportError(io, error, log, secrets);
  }
  try {
    if (db && runId !== undefined) await finishRun(db, runId, exitCode, summary);
  } catch (error) {
    log?.error({ err: error }, 'could not record the end of this run');
  }
  await snapshots?.stop();
  if (cablecast) await (await cablecast.catch(() => undefined))?.close();
  await opened?.close().catch((error: unknown) => log?.error({ err: error }, 'closing the database failed'));
  log?.flush();
  return exitCode;
}

/** The commander action for a command: runs `work` in the runtime and keeps its exit code for main(). */
export function action<A extends unknown[]>(
  runtime: CommandRuntime,
  name: string,
  work: (ctx: CommandContext, ...args: A) => Promise<number>,
  options: ActionOptions = {},
): (...raw: [...A, Command]) => Promise<void> {
  // commander passes the command's arguments, then its options, then the Command itself.
  return async (...raw) => {
    const command = raw[raw.length - 1] as Command;
    const args = raw.slice(0, -1) as A;
    runtime.exitCode = await runCommand(runtime.io, name, command.optsWithGlobals<GlobalOptions>(), (ctx) => work(ctx, ...args), options);
  };
}
