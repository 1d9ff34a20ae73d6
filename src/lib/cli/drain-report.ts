import type { DrainSummary } from '../jobs/drain.js';
import { ExitCode } from '../errors.js';
import type { CommandContext } from './action.js';

/** One line for a person after a command drained one kind of job. */
export function describeDrain(kind: string, summary: DrainSummary): string {
  if (summary.claimed === 0) return `no ${kind} jobs are runnable`;
  const stopped = summary.stoppedBy === 'budget' ? ' (budget reached; the rest waits for the next run)' : '';
  return `${kind} jobs: ${summary.succeeded} done, ${summary.failed} to retry, ${summary.dead} failed for good${stopped}`;
}

/** Exit 1 when any job in this run failed, whether it will be retried or not. */
export function drainExitCode(summary: DrainSummary): number {
  return summary.failed + summary.dead > 0 ? ExitCode.workFailed : ExitCode.ok;
}

/** Records, prints (a line, or the summary with --json) and returns the exit code of a drain. */
export function reportDrain(ctx: CommandContext, kind: string, summary: DrainSummary): number {
  ctx.setSummary(summary);
  if (ctx.json) ctx.printJson(summary);
  else ctx.print(describeDrain(kind, summary));
  return drainExitCode(summary);
}
