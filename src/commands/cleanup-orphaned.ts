import { Command } from 'commander';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { runCleanup } from '../lib/cleanup/run-cleanup.js';
import { describeDatabase } from '../lib/db/connect.js';
import { renderCleanup } from '../lib/cleanup/render-cleanup.js';
import { ExitCode } from '../lib/errors.js';

export function command(runtime: CommandRuntime): Command {
  return new Command('cleanup-orphaned')
    .option('--dry-run', 'list what would change, change nothing')
    .addHelpText(
      'after',
      '\nNever deletes a recording, nor any caption file or rendition that Archivist did not write.\n' +
        'Ages: cleanup.scratchMaxAgeHours (scratch, partial downloads, temp files), cleanup.retentionDays (jobs, runs).\n' +
        '\nExamples:\n' +
        '  $ archivist cleanup-orphaned --dry-run\n' +
        '  $ archivist cleanup-orphaned --json\n',
    )
    .action(
      action(runtime, 'cleanup-orphaned', async (ctx, opts: { dryRun?: boolean }) => {
        const db = await ctx.db();
        const client = ctx.config.cablecast ? await ctx.cablecast() : null;
        const embedded = describeDatabase({ url: ctx.config.database.url, stateDir: ctx.config.paths.state }).kind === 'embedded';
        const report = await runCleanup({
          db,
          config: ctx.config,
          client,
          dryRun: opts.dryRun === true,
          now: new Date(),
          vacuum: embedded,
        });
        ctx.setSummary({ dryRun: report.dryRun, changes: report.changes.length, notes: report.notes });
        const { linkCheckFailed, ...shown } = report;
        if (ctx.json) ctx.printJson({ ...shown, linkCheckFailed: linkCheckFailed?.message });
        else ctx.print(renderCleanup(report, ctx.terminal.width));
        // The local changes are reported above; the failed link check still decides the exit code.
        if (linkCheckFailed) throw linkCheckFailed;
        return ExitCode.ok;
      }),
    );
}
