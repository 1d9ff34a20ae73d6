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

/** A batch whose first part is done (its audio extracted), holding the rest of the step. */
export interface PreparedBatch {
  /** The rest of the step (the engine run): an outcome for every job, as `run` gives. */
  run(): Promise<Map<number, JobOutcome>>;
  /** Removes what preparing left (scratch files), for a batch the drain will not run after all. */
  discard(): Promise<void>;
}

export interface StepHandler {
  kind: JobKind;
  /** Jobs handed to one `run` call: more than one lets a step share a costly start-up (a Whisper model). */
  batchSize: number;
  /** When one of these fails, this step waits for the next run while the others go on. */
  needs: readonly Dependency[];
  /** An outcome for every job; one missing is recorded as a failure. A throw applies to the whole batch. */
  run(jobs: Job[], ctx: StepContext): Promise<Map<number, JobOutcome>>;
  /**
   * For a step whose long part (an engine) needs its batch made ready first (audio
   * extracted): `run` split in two. While one batch's rest runs, the drain claims the step's
   * next batch and prepares it, so the engine does not wait for that. A throw applies to the
   * whole batch, as from `run`.
   */
  prepare?: ((jobs: Job[], ctx: StepContext) => Promise<PreparedBatch>) | undefined;
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
  /** The clock the budget is measured on (milliseconds). */
  now?: (() => number) | undefined;
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

/** Jobs claimed together for one step, held under their leases. */
interface Claimed {
  step: StepHandler;
  jobs: Job[];
  controllers: AbortController[];
  ctx: StepContext;
}

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
 * their jobs back and is rethrown. A step with `prepare` has its next batch claimed and
 * prepared while the current batch's rest runs; one prepared and then not run is handed back
 * as if never claimed.
 */
export async function drainJobs(options: DrainOptions): Promise<DrainSummary> {
  const { db, log, signal, policy } = options;
  const workerId = options.workerId ?? newWorkerId();
  const now = options.now ?? Date.now;
  const started = now();
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

  /** Holds claimed jobs: heartbeats renew their leases, and losing one aborts the batch. */
  const hold = (step: StepHandler, jobs: Job[]): Claimed => {
    const controllers = jobs.map((job) => {
      const controller = new AbortController();
      held.set(job.id, controller);
      return controller;
    });
    const batchSignal = AbortSignal.any([signal, halt.signal, ...controllers.map((c) => c.signal)]);
    const ctx: StepContext = {
      db,
      log: log.child({ step: step.kind }),
      signal: batchSignal,
      workerId,
      heartbeat: beat,
      recordProcessGroup: (pgid) => recordProcessGroup(db, workerId, jobs, pgid),
    };
    return { step, jobs, controllers, ctx };
  };

  // The next batch of a step with `prepare` is claimed and prepared while the rest of the
  // current batch (the engine) runs. The loop claims it, so that every claim obeys the same
  // budget, limit, deferral and signal; a batch entering its rest wakes the loop for that.
  let ahead: (Claimed & { prepared: Promise<PreparedBatch> }) | undefined;
  let wanted: { step: StepHandler; prepare: NonNullable<StepHandler['prepare']> } | undefined;
  let ring = (): void => undefined;
  let rung = new Promise<void>((resolve) => (ring = resolve));
  const waitForBatch = async (): Promise<void> => {
    await Promise.race([...inFlight, rung]);
  };

  const room = (): number => (options.limit === undefined ? Infinity : options.limit - summary.claimed - (ahead?.jobs.length ?? 0));

  const prepareAhead = async (want: NonNullable<typeof wanted>): Promise<void> => {
    if (ahead !== undefined || isDeferred(want.step)) return;
    const limit = Math.min(want.step.batchSize, room());
    if (limit <= 0) return;
    const jobs = await claimJobs(db, { kind: want.step.kind, workerId, limit, mediaIds: options.mediaIds, sites: options.sites });
    if (jobs.length === 0) return;
    const batch = hold(want.step, jobs);
    const prepared = want.prepare(jobs, batch.ctx);
    // Awaited when the batch runs or is dropped; until then a rejection (an abort) must not
    // count as unhandled.
    prepared.catch(() => undefined);
    ahead = { ...batch, prepared };
  };

  /**
   * A batch prepared but not run (the run stops, or its step is deferred): its preparing is
   * stopped, what it left removed, and its jobs handed back; they were never worked on, so
   * they are not counted as claimed.
   */
  const dropAhead = async (): Promise<void> => {
    const batch = ahead;
    if (batch === undefined) return;
    ahead = undefined;
    for (const controller of batch.controllers) controller.abort(new Error('the run stopped before this batch'));
    const ready = await batch.prepared.catch(() => undefined);
    await ready?.discard();
    const ids = batch.jobs.map((job) => job.id);
    try {
      await releaseJobs(db, workerId, ids);
    } finally {
      for (const id of ids) held.delete(id);
    }
  };

  const runBatch = async (batch: Claimed, prepared?: Promise<PreparedBatch>): Promise<void> => {
    const { step, jobs, ctx } = batch;
    let outcomes: Map<number, JobOutcome>;
    try {
      if (step.prepare) {
        const ready = await (prepared ?? step.prepare(jobs, ctx));
        wanted = { step, prepare: step.prepare };
        ring();
        outcomes = await ready.run();
      } else {
        outcomes = await step.run(jobs, ctx);
      }
    } catch (error) {
      const outcome = outcomeOf(error);
      outcomes = new Map(jobs.map((job) => [job.id, outcome]));
    }
    // One job's lost lease or cancellation aborts the whole batch: the others' failures are
    // that abort's doing, not theirs, so they are handed back rather than spending an attempt.
    const aborted = ctx.signal.aborted;
    for (const job of jobs) {
      // From here the job's row changes state: heartbeats must no longer count it as held.
      held.delete(job.id);
      await record(step, job, outcomes.get(job.id), aborted);
    }
  };

  /** The next batch in claim order: the prepared one when its step's turn comes. */
  const claimNext = async (): Promise<{ batch: Claimed; prepared?: Promise<PreparedBatch> } | null> => {
    for (const step of options.steps) {
      if (isDeferred(step)) {
        if (ahead?.step === step) await dropAhead();
        continue;
      }
      if (ahead?.step === step) {
        const taken = ahead;
        ahead = undefined;
        return { batch: taken, prepared: taken.prepared };
      }
      const limit = Math.min(step.batchSize, room());
      if (limit <= 0) continue;
      const jobs = await claimJobs(db, { kind: step.kind, workerId, limit, mediaIds: options.mediaIds, sites: options.sites });
      if (jobs.length > 0) return { batch: hold(step, jobs) };
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
      if (options.budgetMs !== undefined && now() - started >= options.budgetMs) {
        summary.stoppedBy = 'budget';
        break;
      }
      if (options.limit !== undefined && summary.claimed >= options.limit) {
        summary.stoppedBy = 'limit';
        break;
      }
      if (wanted !== undefined) {
        const want = wanted;
        wanted = undefined;
        rung = new Promise<void>((resolve) => (ring = resolve));
        await prepareAhead(want);
        continue;
      }
      if (inFlight.size >= options.concurrency) {
        await waitForBatch();
        continue;
      }
      const next = await claimNext();
      if (!next) {
        if (inFlight.size === 0) break;
        await waitForBatch();
        continue;
      }
      summary.claimed += next.batch.jobs.length;
      const task: Promise<void> = runBatch(next.batch, next.prepared)
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
    // First, so a prepared batch's ffmpeg stops now rather than after the running batch ends.
    try {
      await dropAhead();
    } catch (error) {
      broken ??= { error };
      log.error({ err: error }, 'could not hand a prepared batch back');
    }
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
