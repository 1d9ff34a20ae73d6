import { Command } from 'commander';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { describeDatabase } from '../lib/db/connect.js';
import { ExitCode } from '../lib/errors.js';
import { collectStatus } from '../lib/status/collect-status.js';
import { renderStatus } from '../lib/status/render-status.js';
import { timerLines } from '../lib/status/timer-lines.js';

export function command(runtime: CommandRuntime): Command {
  return new Command('status')
    .option('--failures <n>', 'how many recent failures to list', (v) => Number.parseInt(v, 10), 10)
    .addHelpText('after', '\nExamples:\n  $ archivist status\n  $ archivist status --json | jq .jobs.transcribe\n')
    .action(
      action(runtime, 'status', async (ctx, opts: { failures: number }) => {
        const db = await ctx.db();
        const report = await collectStatus(
          db,
          describeDatabase({ url: ctx.config.database.url, stateDir: ctx.config.paths.state }),
          opts.failures,
        );
        const timers = await timerLines(db);
        if (ctx.json) ctx.printJson({ ...report, timers });
        else ctx.print(renderStatus(report, timers));
        return ExitCode.ok;
      }),
    );
}
