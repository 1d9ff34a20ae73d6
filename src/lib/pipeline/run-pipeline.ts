import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { ArchivistError } from '../errors.js';
import type { Db } from '../db/schema.js';
import { drainJobs, type DrainSummary, type StepHandler } from '../jobs/drain.js';
import type { QueuePolicy } from '../jobs/types.js';
import { nextKinds } from '../stages.js';

export interface RunPipelineOptions {
  db: Db;
  config: Config;
  log: Logger;
  signal: AbortSignal;
  /** `pipelineSteps(deps, kinds)`, or steps built with a command's own choices (--mode, --store), in claim order. */
  steps: readonly StepHandler[];
  mediaIds?: readonly number[] | undefined;
  /** Only jobs of these sites' media (`--site`). */
  sites?: readonly string[] | undefined;
  limit?: number | undefined;
  budgetMinutes?: number | undefined;
  concurrency?: number | undefined;
  /** Dependencies that failed before the drain, and what else they stopped (DrainOptions.failedBefore). */
  failedBefore?: readonly { error: ArchivistError; work: readonly string[] }[] | undefined;
}

/** The queue policy of this configuration: every job any command queues gets it. */
export function queuePolicy(config: Pick<Config, 'jobs'>): QueuePolicy {
  const { maxAttempts, backoffBaseSeconds, backoffMaxSeconds } = config.jobs;
  return { maxAttempts, backoffBaseSeconds, backoffMaxSeconds };
}

/** Drains the given steps' runnable jobs with the configured leases, queue policy, chain and concurrency. */
export function runPipeline(options: RunPipelineOptions): Promise<DrainSummary> {
  const { config } = options;
  return drainJobs({
    db: options.db,
    log: options.log,
    steps: options.steps,
    signal: options.signal,
    policy: queuePolicy(config),
    next: (kind) => nextKinds(kind, config),
    concurrency: options.concurrency ?? config.jobs.concurrency,
    leaseSeconds: config.jobs.leaseSeconds,
    heartbeatSeconds: config.jobs.heartbeatSeconds,
    mediaIds: options.mediaIds,
    sites: options.sites,
    limit: options.limit,
    budgetMs: options.budgetMinutes === undefined ? undefined : options.budgetMinutes * 60_000,
    failedBefore: options.failedBefore,
  });
}
