import { Command, CommanderError, Option } from 'commander';
import { COMMANDS } from './commands/index.js';
import type { CommandIo } from './lib/cli/io.js';
import type { CommandRuntime } from './lib/cli/run-command.js';
import { ExitCode } from './lib/errors.js';
import { LOG_LEVELS } from './lib/log-levels.js';
import { VERSION } from './version.js';

const EXIT_CODES = `
Exit codes:
  0    done
  1    some work failed (see the log and \`archivist status\`)
  2    usage or configuration error
  3    a dependency is unavailable (database, Cablecast, engine, ffmpeg)
  130  interrupted (SIGINT); 143 terminated (SIGTERM): claimed jobs were handed back
`;

/** Global options that take a value: the word after them is not the command's name. */
const VALUE_OPTIONS = new Set(['-c', '--config', '--log-level']);

/** The command named on the command line, found without parsing it: only that one is loaded. */
export function commandName(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return argv[i + 1];
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (arg === 'help') return commandName(argv.slice(i + 1)) ?? arg;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/**
 * commander's own usage errors (unknown option, missing argument) exit 2, as documented, and
 * every command's help shows the global options. addCommand() does not pass settings down, so
 * every command gets them here.
 */
function applySharedSettings(command: Command, io: CommandIo): void {
  command
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => {
        write(`archivist: ${text.replace(/^error: /, '')}`);
      },
    })
    .exitOverride();
  for (const sub of command.commands) applySharedSettings(sub, io);
}

/**
 * Runs `archivist` with these arguments (without the node and script paths) and returns the
 * exit code. Nothing here ends the process: the bin does, and tests run commands in-process.
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const runtime: CommandRuntime = { io, exitCode: ExitCode.ok };
  const program = new Command('archivist')
    .description('Captions Cablecast recordings: finds them, transcribes them with Whisper, writes SCC sidecars, links them to shows.')
    .version(VERSION)
    .option('-c, --config <file>', 'config file (default: $ARCHIVIST_CONFIG, else /etc/archivist/config.json when present)')
    .option('--json', 'print machine-readable JSON on stdout')
    .addOption(new Option('--log-level <level>', 'log level (default: $ARCHIVIST_LOG_LEVEL or info)').choices(LOG_LEVELS))
    .addHelpText('after', EXIT_CODES);
  const wanted = commandName(argv);
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const command = name === wanted ? (await entry.load()).command(runtime) : new Command(name);
    program.addCommand(command.description(entry.summary));
  }
  applySharedSettings(program, io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw error;
  }
  return runtime.exitCode;
}
