#!/usr/bin/env node
import { Command, Option } from 'commander';
import { captionsCommand } from './commands/captions.js';
import { cleanupOrphanedCommand } from './commands/cleanup-orphaned.js';
import { dbCommand } from './commands/db.js';
import { linkQueueCommand } from './commands/link-queue.js';
import { doctorCommand } from './commands/doctor.js';
import { jobsCommand } from './commands/jobs.js';
import { processRecentVodsCommand } from './commands/process-recent-vods.js';
import { retranscodeCommand } from './commands/retranscode.js';
import { statusCommand } from './commands/status.js';
import { systemdCommand } from './commands/systemd.js';
import { transcribeCommand } from './commands/transcribe.js';
import { uploadCommand } from './commands/upload.js';
import { LOG_LEVELS } from './lib/log.js';

const EXIT_CODES = `
Exit codes:
  0    done
  1    some work failed (see the log and \`archivist status\`)
  2    usage or configuration error
  3    a dependency is unavailable (database, Cablecast, engine, ffmpeg)
  130  interrupted (SIGINT); 143 terminated (SIGTERM): claimed jobs were handed back
`;

export function buildProgram(): Command {
  const program = new Command('archivist')
    .description('Captions Cablecast recordings: finds them, transcribes them with Whisper, writes SCC sidecars, links them to shows.')
    .version('0.1.0')
    .option('-c, --config <file>', 'config file (default: $ARCHIVIST_CONFIG, else /etc/archivist/config.json when present)')
    .option('--json', 'print machine-readable JSON on stdout')
    .addOption(new Option('--log-level <level>', 'log level (default: $ARCHIVIST_LOG_LEVEL or info)').choices(LOG_LEVELS))
    .addHelpText('after', EXIT_CODES);
  for (const command of [
    processRecentVodsCommand(),
    transcribeCommand(),
    retranscodeCommand(),
    uploadCommand(),
    linkQueueCommand(),
    cleanupOrphanedCommand(),
    statusCommand(),
    captionsCommand(),
    doctorCommand(),
    jobsCommand(),
    dbCommand(),
    systemdCommand(),
  ]) {
    program.addCommand(command);
  }
  applySharedSettings(program);
  return program;
}

/**
 * commander's own usage errors (unknown option, missing argument) exit 2, as documented, and
 * every command's help shows the global options. addCommand() does not pass settings down,
 * so every command gets them here.
 */
function applySharedSettings(command: Command): void {
  command
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(`archivist: ${text.replace(/^error: /, '')}`) })
    .exitOverride((error) => {
      process.exit(error.exitCode === 0 ? 0 : 2);
    });
  for (const sub of command.commands) applySharedSettings(sub);
}

await buildProgram().parseAsync(process.argv);
