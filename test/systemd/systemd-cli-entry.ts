import { Command } from 'commander';
import { systemdCommand } from '../../src/commands/systemd.js';

// The lead's src/cli.ts registers the command beside the others; this runs it alone, with the
// same global options, so the tests exercise the command as the CLI does.
await new Command('archivist')
  .option('--config <file>')
  .option('--json')
  .option('--log-level <level>')
  .addCommand(systemdCommand())
  .parseAsync(process.argv);
