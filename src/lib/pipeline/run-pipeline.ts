import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { drainJobs, type DrainSummary, type StepHandler } from '../jobs/drain.js';
import type { Db } from '../jobs/types.js';

export interface RunPipelineOptions {
  db: Db;
  config: Config;
  log: Logger;
  signal: AbortSignal;
  /** `pipelineSteps(deps, kinds)`, or steps built with a command's own choices (--mode, --store). */
  steps: readonly StepHandler[];
  mediaIds?: readonly number[];
  limit?: number;
  budgetMinutes?: number;
  concurrency?: number;
}

/** Drains the given steps' runnable jobs with the configured leases, backoff and concurrency. */
export function runPipeline(options: RunPipelineOptions): Promise<DrainSummary> {
  const jobs = options.config.jobs;
  return drainJobs({
    db: options.db,
    log: options.log,
    steps: options.steps,
    signal: options.signal,
    concurrency: options.concurrency ?? jobs.concurrency,
    leaseSeconds: jobs.leaseSeconds,
    heartbeatSeconds: jobs.heartbeatSeconds,
    backoffBaseSeconds: jobs.backoffBaseSeconds,
    backoffMaxSeconds: jobs.backoffMaxSeconds,
    ...(options.mediaIds ? { mediaIds: options.mediaIds } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.budgetMinutes !== undefined ? { budgetMs: options.budgetMinutes * 60_000 } : {}),
  });
}
