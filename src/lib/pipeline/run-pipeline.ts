import type { Logger } from 'pino';
import type { JobKind } from '../db/schema.js';
import { drainJobs, type DrainSummary } from '../jobs/drain.js';
import type { Db } from '../jobs/types.js';
import type { PipelineDeps } from './deps.js';
import { pipelineSteps } from './steps/index.js';

export interface RunPipelineOptions {
  db: Db;
  deps: PipelineDeps;
  log: Logger;
  signal: AbortSignal;
  kinds?: readonly JobKind[];
  mediaIds?: readonly number[];
  limit?: number;
  budgetMinutes?: number;
  concurrency?: number;
}

/** Drains the pipeline's runnable jobs with the configured leases and backoff. */
export function runPipeline(options: RunPipelineOptions): Promise<DrainSummary> {
  const jobs = options.deps.config.jobs;
  return drainJobs({
    db: options.db,
    log: options.log,
    steps: pipelineSteps(options.deps, options.kinds),
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
