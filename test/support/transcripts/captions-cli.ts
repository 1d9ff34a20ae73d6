/**
 * `archivist captions` on its own, for spawning in tests until (and independently of)
 * its registration in src/cli.ts: the same global options the real program defines.
 */
import { Command } from 'commander';
import { captionsCommand } from '../../../src/commands/captions.js';

const program = new Command('archivist')
  .option('-c, --config <file>')
  .option('--json')
  .option('--log-level <level>')
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
program.addCommand(captionsCommand());
await program.parseAsync(process.argv);
