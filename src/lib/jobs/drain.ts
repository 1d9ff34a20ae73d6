import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Job, JobKind } from '../db/schema.js';
import { ArchivistError, ExitCode, UsageError, errorMessage } from '../errors.js';
import { claimJobs } from './claim-jobs.js';
import { completeJob } from './complete-job.js';
import { failJob } from './fail-job.js';
import { heartbeatJobs } from './heartbeat-jobs.js';
import { recoverStaleJobs } from './recover-stale-jobs.js';
import { releaseJobs } from './release-job.js';
import type { BackoffSettings, Db } from './types.js';

/** What a step reports for one job. */
export type JobOutcome =
  { ok: true; output?: unknown; next?: readonly JobKind[] } | { ok: false; error: string; permanent?: boolean; retryAfterSeconds?: number };

/** A step that cannot succeed for this input, whatever the retries (no audio, unreadable). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
  readonly permanent = true;
}

/**
 * An error no other job could get past either: a configuration problem (credentials refused,
 * exit 2) or a dependency that is not there (engine, ffmpeg, Cablecast down; exit 3). It stops
 * the drain instead of failing job after job, and the command exits with its code.
 */
export function stopsTheRun(error: unknown): error is ArchivistError {
  return error instanceof UsageError || (error instanceof ArchivistError && error.exitCode === ExitCode.unavailable);
}

/** Errors from the library mark themselves `permanent` (MediaProblem does) when retrying cannot help. */
export function isPermanent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}

export interface StepContext {
  db: Db;
  log: Logger;
  /** Aborted on shutdown, or when this job's lease was lost or it was cancelled. */
  signal: AbortSignal;
  workerId: string;
  /** Renews the leases now (long steps also get periodic heartbeats from the drain loop). */
  heartbeat(): Promise<void>;
}

export interface StepHandler {
  kind: JobKind;
  /** Jobs handed to one `run` call: >1 lets a step share a costly start-up (a Whisper model). */
  batchSize?: number;
  run(jobs: Job[], ctx: StepContext): Promise<Map<number, JobOutcome>>;
}

/** Adapts a one-job function into a step: a thrown error becomes a failure outcome. */
export function singleJobStep(kind: JobKind, run: (job: Job, ctx: StepContext) => Promise<JobOutcome>): StepHandler {
  return {
    kind,
    async run(jobs, ctx) {
      const outcomes = new Map<number, JobOutcome>();
      for (const job of jobs) outcomes.set(job.id, await runGuarded(() => run(job, ctx)));
      return outcomes;
    },
  };
}

async function runGuarded(run: () => Promise<JobOutcome>): Promise<JobOutcome> {
  try {
    return await run();
  } catch (error) {
    if (stopsTheRun(error)) throw error;
    return { ok: false, error: errorMessage(error), permanent: isPermanent(error) };
  }
}

export interface DrainOptions extends BackoffSettings {
  db: Db;
  log: Logger;
  /** In priority order: earlier kinds are claimed first (later pipeline steps finish items sooner). */
  steps: readonly StepHandler[];
  signal: AbortSignal;
  concurrency: number;
  leaseSeconds: number;
  heartbeatSeconds: number;
  /** Stop claiming new jobs after this many milliseconds; running ones finish. */
  budgetMs?: number;
  /** Stop claiming after this many jobs in all. */
  limit?: number;
  workerId?: string;
  /** Only jobs of these media. */
  mediaIds?: readonly number[];
}

export interface DrainSummary {
  claimed: number;
  succeeded: number;
  failed: number;
  dead: number;
  handedBack: number;
  byKind: Record<string, { succeeded: number; failed: number; dead: number }>;
  stoppedBy: 'idle' | 'budget' | 'limit' | 'signal';
}

function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Claims and runs jobs until nothing is runnable, the budget or limit is reached, or the
 * signal fires. On the signal, steps are aborted and their jobs handed back without
 * spending an attempt; a step that still finished is recorded as it ended. An error that
 * `stopsTheRun` stops the drain, which hands the jobs back and rethrows it.
 */
export async function drainJobs(options: DrainOptions): Promise<DrainSummary> {
  const { db, log, signal } = options;
  const workerId = options.workerId ?? newWorkerId();
  const started = Date.now();
  const summary: DrainSummary = { claimed: 0, succeeded: 0, failed: 0, dead: 0, handedBack: 0, byKind: {}, stoppedBy: 'idle' };
  const held = new Map<number, AbortController>();
  let stopping: ArchivistError | undefined;
  // An error outside any step (the database went away while recording an outcome) ends the
  // drain: the other batches are aborted and waited for, so none outlives the command.
  let broken: { error: unknown } | undefined;
  const halt = new AbortController();
  const inFlight = new Set<Promise<void>>();

  const recovered = await recoverStaleJobs(db, options.leaseSeconds);
  for (const r of recovered) log.warn({ jobId: r.id, state: r.state }, 'recovered a job whose worker stopped heartbeating');

  const beat = async (): Promise<void> => {
    const lost = await heartbeatJobs(db, workerId, [...held.keys()]);
    for (const id of lost) {
      // A job whose outcome was recorded while the heartbeat ran is finished, not lost.
      const controller = held.get(id);
      if (!controller) continue;
      log.warn({ jobId: id }, 'lost the lease on a job (cancelled or recovered elsewhere); abandoning it');
      controller.abort(new Error('lease lost'));
    }
  };
  const timer = setInterval(() => {
    beat().catch((error: unknown) => log.error({ err: error }, 'heartbeat failed'));
  }, options.heartbeatSeconds * 1000);
  timer.unref();

  const count = (kind: string, key: 'succeeded' | 'failed' | 'dead'): void => {
    const entry = (summary.byKind[kind] ??= { succeeded: 0, failed: 0, dead: 0 });
    entry[key] += 1;
    summary[key] += 1;
  };

  const record = async (job: Job, outcome: JobOutcome | undefined, aborted: boolean): Promise<void> => {
    if (aborted && (outcome === undefined || !outcome.ok)) {
      summary.handedBack += await releaseJobs(db, workerId, [job.id]);
      return;
    }
    if (outcome === undefined) {
      outcome = { ok: false, error: `the ${job.kind} step returned no outcome for job ${job.id}` };
    }
    if (outcome.ok) {
      if (
        await completeJob(db, job, workerId, {
          ...(outcome.output !== undefined ? { output: outcome.output } : {}),
          next: outcome.next ?? [],
        })
      ) {
        count(job.kind, 'succeeded');
      }
      return;
    }
    const state = await failJob(db, job, workerId, {
      error: outcome.error,
      backoffBaseSeconds: options.backoffBaseSeconds,
      backoffMaxSeconds: options.backoffMaxSeconds,
      ...(outcome.permanent ? { permanent: true } : {}),
      ...(outcome.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}),
    });
    if (state === 'dead') {
      count(job.kind, 'dead');
      log.error({ jobId: job.id, kind: job.kind, mediaId: job.media_id, error: outcome.error }, 'job failed for good');
    } else if (state) {
      count(job.kind, 'failed');
      log.warn(
        { jobId: job.id, kind: job.kind, mediaId: job.media_id, attempt: job.attempts, error: outcome.error },
        'job failed; will retry',
      );
    }
  };

  const runBatch = async (step: StepHandler, jobs: Job[]): Promise<void> => {
    const controllers = jobs.map((job) => {
      const controller = new AbortController();
      held.set(job.id, controller);
      return controller;
    });
    const batchSignal = AbortSignal.any([signal, halt.signal, ...controllers.map((c) => c.signal)]);
    let outcomes: Map<number, JobOutcome>;
    try {
      outcomes = await step.run(jobs, { db, log: log.child({ step: step.kind }), signal: batchSignal, workerId, heartbeat: beat });
    } catch (error) {
      if (stopsTheRun(error)) {
        // Not the job's fault: hand the jobs back untouched and stop, so the command exits
        // with the error's code and the operator sees why.
        stopping ??= error;
        summary.handedBack += await releaseJobs(
          db,
          workerId,
          jobs.map((job) => job.id),
        );
        for (const job of jobs) held.delete(job.id);
        return;
      }
      const failure: JobOutcome = { ok: false, error: errorMessage(error), permanent: isPermanent(error) };
      outcomes = new Map(jobs.map((job) => [job.id, failure]));
    }
    // One job's lost lease or cancellation aborts the whole batch: the others' failures are
    // that abort's doing, not theirs, so they are handed back rather than spending an attempt.
    const aborted = batchSignal.aborted;
    for (const job of jobs) {
      // From here the job's row changes state: heartbeats must no longer count it as held.
      held.delete(job.id);
      await record(job, outcomes.get(job.id), aborted);
    }
  };

  const claimNext = async (): Promise<{ step: StepHandler; jobs: Job[] } | null> => {
    for (const step of options.steps) {
      const room = options.limit === undefined ? Infinity : options.limit - summary.claimed;
      const limit = Math.min(step.batchSize ?? 1, room);
      if (limit <= 0) return null;
      const jobs = await claimJobs(db, { kind: step.kind, workerId, limit, ...(options.mediaIds ? { mediaIds: options.mediaIds } : {}) });
      if (jobs.length > 0) return { step, jobs };
    }
    return null;
  };

  try {
    for (;;) {
      if (signal.aborted) {
        summary.stoppedBy = 'signal';
        break;
      }
      if (stopping || broken) break;
      if (options.budgetMs !== undefined && Date.now() - started >= options.budgetMs) {
        summary.stoppedBy = 'budget';
        break;
      }
      if (options.limit !== undefined && summary.claimed >= options.limit) {
        summary.stoppedBy = 'limit';
        break;
      }
      if (inFlight.size >= options.concurrency) {
        await Promise.race(inFlight);
        continue;
      }
      const next = await claimNext();
      if (!next) {
        if (inFlight.size === 0) break;
        await Promise.race(inFlight);
        continue;
      }
      summary.claimed += next.jobs.length;
      const task: Promise<void> = runBatch(next.step, next.jobs)
        .catch((error: unknown) => {
          broken ??= { error };
          halt.abort(error);
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
  } catch (error) {
    broken ??= { error };
    halt.abort(error);
  } finally {
    await Promise.allSettled(inFlight);
    clearInterval(timer);
    if (held.size > 0) {
      try {
        summary.handedBack += await releaseJobs(db, workerId, [...held.keys()]);
      } catch (error) {
        // Those jobs return to the queue when their lease runs out; the first error is the one to report.
        broken ??= { error };
        log.error({ err: error, jobIds: [...held.keys()] }, 'could not hand claimed jobs back');
      }
    }
  }
  if (broken) throw broken.error;
  if (stopping) throw stopping;
  return summary;
}
