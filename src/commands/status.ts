import { Command } from 'commander';
import { action, type CommandContext, type CommandRuntime } from '../lib/cli/run-command.js';
import { describeDatabase } from '../lib/db/connect.js';
import { ExitCode } from '../lib/errors.js';
import { collectStatus } from '../lib/status/collect-status.js';
import { renderStatus } from '../lib/status/render-status.js';
import { heldSnapshot, renderHeldNote } from '../lib/status/snapshot.js';
import { nextElapses, timerLines } from '../lib/status/timer-lines.js';

async function status(ctx: CommandContext, opts: { failures: number }): Promise<number> {
  const database = describeDatabase({ url: ctx.config.database.url, stateDir: ctx.config.paths.state });
  // The embedded database serves one process: while a run holds it, answer from its snapshot at once.
  const held = database.kind === 'embedded' ? await heldSnapshot(ctx.config.paths.state) : null;
  if (held) {
    if (ctx.json)
      ctx.printJson({ ...held.snapshot.report, timers: held.snapshot.timers, heldBy: held.holder, snapshotAt: held.snapshot.writtenAt });
    else {
      ctx.print(renderHeldNote(held, new Date(), ctx.terminal.width));
      ctx.print(renderStatus(held.snapshot.report, held.snapshot.timers, { width: ctx.terminal.width, colour: ctx.terminal.colour }));
    }
    return ExitCode.ok;
  }
  // systemctl is asked before the database opens: it answers while PGlite starts, and forking
  // this process is cheaper before PGlite has grown it by a hundred megabytes.
  const next = nextElapses();
  // Awaited in timerLines; a database that fails to open first must not leave it unhandled.
  next.catch(() => undefined);
  const db = await ctx.db();
  const report = await collectStatus(db, database, opts.failures);
  const timers = await timerLines(db, next);
  if (ctx.json) ctx.printJson({ ...report, timers });
  else ctx.print(renderStatus(report, timers, { width: ctx.terminal.width, colour: ctx.terminal.colour }));
  return ExitCode.ok;
}

export function command(runtime: CommandRuntime): Command {
  return new Command('status')
    .option('--failures <n>', 'how many recent failures to list', (v) => Number.parseInt(v, 10), 10)
    .addHelpText('after', '\nExamples:\n  $ archivist status\n  $ archivist status --json | jq .jobs.transcribe\n')
    .action(action(runtime, 'status', status, { record: 'on-open' }));
}
