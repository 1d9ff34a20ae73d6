import type { Job } from '../../db/schema.js';
import type { StepContext, StepHandler } from '../../jobs/drain.js';
import { outcomeOf, type JobOutcome } from '../../jobs/outcome.js';
import { stageOf, type BatchSettings, type JobKind } from '../../stages.js';

/** A step with its batch size and dependencies as the pipeline table declares them. */
export function defineStep(kind: JobKind, settings: BatchSettings, run: StepHandler['run']): StepHandler {
  const stage = stageOf(kind);
  return { kind, batchSize: stage.batchSize(settings), needs: stage.needs, run };
}

/**
 * A step in two parts (StepHandler.prepare). With `ahead`, the drain prepares the next batch
 * while this one's rest runs; without it the two parts simply run one after the other.
 */
export function definePreparedStep(
  kind: JobKind,
  settings: BatchSettings,
  prepare: NonNullable<StepHandler['prepare']>,
  ahead: boolean,
): StepHandler {
  const run = async (jobs: Job[], ctx: StepContext): Promise<Map<number, JobOutcome>> => (await prepare(jobs, ctx)).run();
  const step = defineStep(kind, settings, run);
  return ahead ? { ...step, prepare } : step;
}

/**
 * A step that takes one job at a time; what it throws becomes that job's outcome. A deferred
 * outcome (a dependency down) would be the same for the rest of the batch: they get it too.
 */
export function singleJobStep(
  kind: JobKind,
  settings: BatchSettings,
  run: (job: Job, ctx: StepContext) => Promise<JobOutcome>,
): StepHandler {
  return defineStep(kind, settings, async (jobs, ctx) => {
    const outcomes = new Map<number, JobOutcome>();
    let deferred: JobOutcome | undefined;
    for (const job of jobs) {
      const outcome = deferred ?? (await run(job, ctx).catch(outcomeOf));
      if (outcome.status === 'deferred') deferred = outcome;
      outcomes.set(job.id, outcome);
    }
    return outcomes;
  });
}
