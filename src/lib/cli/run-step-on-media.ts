import { ExitCode } from '../errors.js';
import type { StepHandler } from '../jobs/drain.js';
import { requeueJob } from '../jobs/enqueue-job.js';
import type { Db } from '../jobs/types.js';
import { stepResults, type StepResult } from '../pipeline/media-report.js';
import { runPipeline } from '../pipeline/run-pipeline.js';
import type { CommandContext } from './action.js';

/**
 * Runs one step now for media named on the command line (queued again even when it ran
 * before), prints a line per item (or JSON) and returns 0 only when every item succeeded.
 */
export async function runStepOnMedia(
  ctx: CommandContext,
  db: Db,
  step: StepHandler,
  mediaIds: readonly number[],
  describe: (result: StepResult) => string,
): Promise<number> {
  for (const mediaId of mediaIds) await requeueJob(db, { mediaId, kind: step.kind, maxAttempts: ctx.config.jobs.maxAttempts });
  const summary = await runPipeline({ db, config: ctx.config, log: ctx.log, signal: ctx.signal, steps: [step], mediaIds });
  const results = await stepResults(db, step.kind, mediaIds);
  ctx.setSummary({ ...summary, media: mediaIds });
  if (ctx.json) ctx.printJson({ summary, media: results });
  else for (const result of results) ctx.print(describe(result));
  return results.every((r) => r.state === 'succeeded') ? ExitCode.ok : ExitCode.workFailed;
}
