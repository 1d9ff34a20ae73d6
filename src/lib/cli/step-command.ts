import { ExitCode, UsageError, mostSerious } from '../errors.js';
import type { StepHandler } from '../jobs/drain.js';
import { requeueJob } from '../jobs/enqueue-job.js';
import { captionedMediaIds } from '../pipeline/captioned-media.js';
import { stepResults, type StepResult } from '../pipeline/media-report.js';
import { queuePolicy, runPipeline } from '../pipeline/run-pipeline.js';
import { drainExitCode, reportDeferrals, reportDrain } from './drain-report.js';
import type { CommandContext } from './run-command.js';

export interface StepCommand {
  step: StepHandler;
  /** Media ids or transcribed files named on the command line; none: drain the step's queued jobs. */
  items: readonly string[];
  limit?: number | undefined;
  budget?: number | undefined;
  /** "make renditions of", "upload captions of": how a refusal names the work. */
  verb: string;
  /** One line per item for a person. */
  describe: (result: StepResult) => string;
}

/**
 * A command that works on one step (retranscode, upload): with no items it drains the step's
 * queued jobs; with items it runs the step now for each (queued again even when it ran before),
 * prints a line per item (or JSON) and returns 0 only when every item succeeded.
 */
export async function runStepCommand(ctx: CommandContext, command: StepCommand): Promise<number> {
  const { step, items } = command;
  if (items.length > 0 && (command.limit !== undefined || command.budget !== undefined)) {
    throw new UsageError('--limit and --budget apply when draining queued jobs (no items given)');
  }
  const db = await ctx.db();
  const run = { db, config: ctx.config, log: ctx.log, signal: ctx.signal, steps: [step] };
  if (items.length === 0) {
    return reportDrain(ctx, step.kind, await runPipeline({ ...run, limit: command.limit, budgetMinutes: command.budget }));
  }

  const mediaIds = await captionedMediaIds(db, items, command.verb, ctx.cwd);
  const policy = queuePolicy(ctx.config);
  for (const mediaId of mediaIds) await requeueJob(db, { mediaId, kind: step.kind }, policy);
  const summary = await runPipeline({ ...run, mediaIds });
  const results = await stepResults(db, step.kind, mediaIds);
  ctx.setSummary({ ...summary, media: mediaIds });
  if (ctx.json) ctx.printJson({ summary, media: results });
  else for (const result of results) ctx.print(command.describe(result));
  reportDeferrals(ctx, summary);
  return mostSerious([drainExitCode(summary), results.every((r) => r.state === 'succeeded') ? ExitCode.ok : ExitCode.workFailed]);
}
