import { ExitCode, mostSerious } from '../errors.js';
import { describeDeferred, type Deferral } from '../jobs/deferral.js';
import type { DrainSummary } from '../jobs/drain.js';
import type { CommandContext } from './run-command.js';

/** One line for a person after a command drained jobs of one kind. */
export function describeDrain(kind: string, summary: DrainSummary): string {
  if (summary.claimed === 0) return `no ${kind} jobs are runnable`;
  const stopped = summary.stoppedBy === 'budget' ? ' (budget reached; the rest waits for the next run)' : '';
  return `${kind} jobs: ${summary.succeeded} done, ${summary.failed} to retry, ${summary.dead} failed for good${stopped}`;
}

/** Each reason work was left for the next run, once, with what to check, on stderr. */
export function reportDeferrals(ctx: CommandContext, summary: Pick<DrainSummary, 'deferred'>): void {
  for (const deferral of summary.deferred) {
    ctx.warn(`${describeDeferred(deferral)} left for the next run: ${deferral.reason}`);
    for (const line of deferral.problems) ctx.warn(`  ${line}`);
  }
}

/**
 * The most serious thing the drain met: settings or credentials to fix (2), a dependency down
 * (3), then items that failed, whether they will be retried or not (1).
 */
export function drainExitCode(summary: DrainSummary): number {
  return mostSerious([summary.failed + summary.dead > 0 ? ExitCode.workFailed : ExitCode.ok, deferralsExitCode(summary.deferred)]);
}

export function deferralsExitCode(deferred: readonly Deferral[]): number {
  return mostSerious(deferred.map((d) => d.exitCode));
}

/** Records, prints (a line, or the summary with --json) and returns the exit code of a drain. */
export function reportDrain(ctx: CommandContext, kind: string, summary: DrainSummary): number {
  ctx.setSummary(summary);
  if (ctx.json) ctx.printJson(summary);
  else ctx.print(describeDrain(kind, summary));
  reportDeferrals(ctx, summary);
  return drainExitCode(summary);
}
