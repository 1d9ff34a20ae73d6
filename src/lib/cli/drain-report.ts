import type { DrainSummary } from '../jobs/drain.js';
import { ExitCode } from '../errors.js';

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
