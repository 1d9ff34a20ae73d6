import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Db, Job, JobKind } from '../db/schema.js';
import { UnavailableError, type ArchivistError, type Dependency } from '../errors.js';
import { claimJobs } from './claim-jobs.js';
import { deferralOf, defers, describeDeferred, type Deferral } from './deferral.js';
import { completeJob } from './complete-job.js';
import { failJob } from './fail-job.js';
import { heartbeatJobs } from './heartbeat-jobs.js';
import { outcomeOf, type JobOutcome } from './outcome.js';
import { endLeftoverGroups, recordProcessGroup } from './process-groups.js';
import { recoverStaleJobs } from './recover-stale-jobs.js';
import { releaseJobs } from './release-job.js';
import type { QueuePolicy } from './types.js';

export interface StepContext {
  db: Db;
  log: Logger;
  /** Aborted on shutdown, or when this job's lease was lost or it was cancelled. */
  signal: AbortSignal;
  workerId: string;
  /** Renews the leases now (long steps also get periodic heartbeats from the drain loop). */
  heartbeat: () => Promise<void>;
  /**
   * Records on the batch's jobs the process group a step started (an engine), so that lease
   * recovery can end it should this process die.
   */
  recordProcessGroup: (pgid: number) => Promise<void>;
}

export interface StepHandler {
  kind: JobKind;
  /** Jobs handed to one `run` call: more than one lets a step share a costly start-up (a Whisper model). */
  batchSize: number;
  /** When one of these fails, this step waits for the next run while the others go on. */
  needs: readonly Dependency[];
  /** An outcome for every job; one missing is recorded as a failure. A throw applies to the whole batch. */
  run(jobs: Job[], ctx: StepContext): Promise<Map<number, JobOutcome>>;
}

export interface DrainOptions {
  db: Db;
  log: Logger;
  /** In claim order: earlier steps are claimed first. */
  steps: readonly StepHandler[];
  signal: AbortSignal;
  policy: QueuePolicy;
  /** What a successful job of `kind` queues next. */
  next: (kind: JobKind) => readonly JobKind[];
  concurrency: number;
  leaseSeconds: number;
  heartbeatSeconds: number;
  /** Stop claiming new jobs after this many milliseconds; running ones finish. */
  budgetMs?: number | undefined;
  /** Stop claiming after this many jobs in all. */
  limit?: number | undefined;
  workerId?: string | undefined;
  /** Only jobs of these media. */
  mediaIds?: readonly number[] | undefined;
  /** Only jobs of these sites' media. */
  sites?: readonly string[] | undefined;
  /**
   * Dependencies found failing before the drain (Cablecast refusing discovery): the steps
   * needing them wait for the next run from the start, and the reason is reported once, with
   * the other work (`work`) it stopped.
   */
  failedBefore?: readonly { error: ArchivistError; work: readonly string[] }[] | undefined;
}

export type { Deferral } from './deferral.js';

export interface DrainSummary {
  claimed: number;
  succeeded: number;
  failed: number;
  dead: number;
  handedBack: number;
  byKind: Partial<Record<JobKind, { succeeded: number; failed: number; dead: number }>>;
  deferred: Deferral[];
  stoppedBy: 'idle' | 'budget' | 'limit' | 'signal';
}

function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Claims and runs jobs until nothing is runnable, the budget or limit is reached, or the
 * signal fires. On the signal, steps are aborted and their jobs handed back without spending
 * an attempt; a step that still finished is recorded as it ended. A deferred outcome (a
 * dependency down, credentials refused) hands its job back and leaves every step that needs
 * that dependency for the next run, while the others go on. An error outside any step (the
 * database failing while recording an outcome) aborts and waits for the other batches, hands
 * their jobs back and is rethrown.
 */
export async function drainJobs(options: DrainOptions): Promise<DrainSummary> {
  const { db, log, signal, policy } = options;
  const workerId = options.workerId ?? newWorkerId();
  const started = Date.now();
  const summary: DrainSummary = {
    claimed: 0,
    succeeded: 0,
    failed: 0,
    dead: 0,
    handedBack: 0,
    byKind: {},
    deferred: [],
    stoppedBy: 'idle',
  };
  const held = new Map<number, AbortController>();
  let broken: { error: unknown } | undefined;
  const halt = new AbortController();
  const inFlight = new Set<Promise<void>>();

  const recovered = await recoverStaleJobs(db, options.leaseSeconds);
  for (const r of recovered) log.warn({ jobId: r.id, state: r.state }, 'recovered a job whose worker stopped heartbeating');
  await endLeftoverGroups(db, log);

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
    beat().catch((error: unknown) => {
      log.error({ err: error }, 'heartbeat failed');
      // Without the database no lease can be kept and no outcome recorded: stop everything now
      // rather than let a step (an engine, ffmpeg) work on for hours for nothing.
      if (error instanceof UnavailableError && error.dependency === 'database') {
        broken ??= { error };
        halt.abort(error);
      }
    });
  }, options.heartbeatSeconds * 1000);
  timer.unref();

  const isDeferred = (step: StepHandler): boolean => summary.deferred.some((d) => defers(d, step));

  const note = (deferral: Deferral, error: ArchivistError): void => {
    summary.deferred.push(deferral);
    const waiting = [...deferral.work, ...deferral.kinds];
    log.error(
      { dependency: deferral.dependency, kinds: deferral.kinds, err: error },
      `${describeDeferred(deferral)} wait${waiting.length === 1 ? 's' : ''} for the next run: ${error.message}`,
    );
  };
  for (const { error, work } of options.failedBefore ?? []) note(deferralOf(error, options.steps, { work }), error);

  const defer = (step: StepHandler, error: ArchivistError): void => {
    if (isDeferred(step)) return;
    note(deferralOf(error, options.steps, { kind: step.kind }), error);
  };

  const count = (kind: JobKind, key: 'succeeded' | 'failed' | 'dead'): void => {
    const entry = (summary.byKind[kind] ??= { succeeded: 0, failed: 0, dead: 0 });
    entry[key] += 1;
    summary[key] += 1;
  };

  const record = async (step: StepHandler, job: Job, given: JobOutcome | undefined, aborted: boolean): Promise<void> => {
    const outcome: JobOutcome = given ?? {
      status: 'failed',
      error: `the ${job.kind} step returned no outcome for job ${job.id}`,
      permanent: false,
    };
    if (outcome.status === 'deferred' || (aborted && outcome.status === 'failed')) {
      if (outcome.status === 'deferred') defer(step, outcome.error);
      summary.handedBack += await releaseJobs(db, workerId, [job.id]);
      return;
    }
    if (outcome.status === 'succeeded') {
      const next = outcome.endsChain === true ? [] : options.next(job.kind);
      if (await completeJob(db, job, workerId, { output: outcome.output, next }, policy)) count(job.kind, 'succeeded');
      return;
    }
    const state = await failJob(db, job, workerId, outcome, policy);
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
      outcomes = await step.run(jobs, {
        db,
        log: log.child({ step: step.kind }),
        signal: batchSignal,
        workerId,
        heartbeat: beat,
        recordProcessGroup: (pgid) => recordProcessGroup(db, workerId, jobs, pgid),
      });
    } catch (error) {
      const outcome = outcomeOf(error);
      outcomes = new Map(jobs.map((job) => [job.id, outcome]));
    }
    // One job's lost lease or cancellation aborts the whole batch: the others' failures are
    // that abort's doing, not theirs, so they are handed back rather than spending an attempt.
    const aborted = batchSignal.aborted;
    for (const job of jobs) {
      // From here the job's row changes state: heartbeats must no longer count it as held.
      held.delete(job.id);
      await record(step, job, outcomes.get(job.id), aborted);
    }
  };

  const claimNext = async (): Promise<{ step: StepHandler; jobs: Job[] } | null> => {
    for (const step of options.steps) {
      if (isDeferred(step)) continue;
      const room = options.limit === undefined ? Infinity : options.limit - summary.claimed;
      const limit = Math.min(step.batchSize, room);
      if (limit <= 0) return null;
      const jobs = await claimJobs(db, { kind: step.kind, workerId, limit, mediaIds: options.mediaIds, sites: options.sites });
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
      if (broken) break;
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
  return summary;
}
