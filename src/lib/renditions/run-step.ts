import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { drainJobs, type DrainSummary, type StepHandler } from '../jobs/drain.js';
import type { Db } from '../jobs/types.js';

export interface RunStepOptions {
  db: Db;
  config: Config;
  log: Logger;
  signal: AbortSignal;
  step: StepHandler;
  mediaIds?: readonly number[];
  limit?: number;
  budgetMinutes?: number;
}

/**
 * Drains one step built with the command's own choices (--mode, --store ...), with the
 * configured leases and backoff, as runPipeline does for steps built from the config alone.
 */
export function runStep(options: RunStepOptions): Promise<DrainSummary> {
  const jobs = options.config.jobs;
  return drainJobs({
    db: options.db,
    log: options.log,
    steps: [options.step],
    signal: options.signal,
    concurrency: jobs.concurrency,
    leaseSeconds: jobs.leaseSeconds,
    heartbeatSeconds: jobs.heartbeatSeconds,
    backoffBaseSeconds: jobs.backoffBaseSeconds,
    backoffMaxSeconds: jobs.backoffMaxSeconds,
    ...(options.mediaIds ? { mediaIds: options.mediaIds } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.budgetMinutes !== undefined ? { budgetMs: options.budgetMinutes * 60_000 } : {}),
  });
}
