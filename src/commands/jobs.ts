import { Command, Option } from 'commander';
import { action, type CommandContext, type CommandRuntime } from '../lib/cli/run-command.js';
import { parsePositiveInt } from '../lib/cli/parse.js';
import { JOB_STATES, type Db, type JobState } from '../lib/db/schema.js';
import { ExitCode, UsageError } from '../lib/errors.js';
import { cancelJobs } from '../lib/jobs/cancel-job.js';
import { jobDetail } from '../lib/jobs/job-detail.js';
import { listJobs } from '../lib/jobs/list-jobs.js';
import { renderJobDetail } from '../lib/jobs/render-job-detail.js';
import { retryJob } from '../lib/jobs/retry-job.js';
import { queuePolicy } from '../lib/pipeline/run-pipeline.js';
import { JOB_KINDS, type JobKind } from '../lib/stages.js';
import { fitTable } from '../lib/status/fit-table.js';
import { formatTime } from '../lib/status/format.js';
import { paintState } from '../lib/text/colour.js';

/** Ids are checked as commander parses them, so a bad one is a usage error (exit 2). */
function collectJobIds(value: string, previous: number[] = []): number[] {
  return [...previous, parsePositiveInt(value)];
}

/**
 * Acts on each job: what it did goes to stdout; a refusal (no such job, or one in a state the
 * action does not apply to) goes to stderr and makes the exit code 1.
 */
async function actOnJobs(
  ctx: CommandContext,
  ids: readonly number[],
  act: (db: Db, id: number) => Promise<{ done: string } | { refused: string }>,
): Promise<number> {
  const db = await ctx.db();
  let refused = 0;
  for (const id of ids) {
    const result = await act(db, id);
    if ('done' in result) ctx.print(result.done);
    else {
      refused += 1;
      ctx.warn(result.refused);
    }
  }
  return refused > 0 ? ExitCode.workFailed : ExitCode.ok;
}

export function command(runtime: CommandRuntime): Command {
  const jobs = new Command('jobs');

  jobs
    .command('list')
    .description('jobs with their file, newest first')
    .addOption(new Option('--state <state>', 'only jobs in this state').choices(JOB_STATES))
    .addOption(new Option('--kind <kind>', 'only jobs of this kind').choices(JOB_KINDS))
    .option('--limit <n>', 'how many', parsePositiveInt, 50)
    .addHelpText('after', '\nExamples:\n  $ archivist jobs list --state dead\n  $ archivist jobs list --kind transcribe --json\n')
    .action(
      action(
        runtime,
        'jobs list',
        async (ctx, opts: { state?: JobState; kind?: JobKind; limit: number }) => {
          const rows = await listJobs(await ctx.db(), opts);
          if (ctx.json) {
            ctx.printJson(rows);
            return ExitCode.ok;
          }
          const table = fitTable(
            [
              { head: 'job' },
              { head: 'kind' },
              { head: 'state' },
              { head: 'attempts' },
              { head: 'updated' },
              { head: 'file', keep: 'end', maxLines: 2 },
              { head: 'last error', maxLines: 3, more: (row) => `jobs show ${rows[row]?.id ?? ''}`, min: 24 },
            ],
            rows.map((r) => [
              String(r.id),
              r.kind,
              r.state,
              `${r.attempts}/${r.max_attempts}`,
              formatTime(r.updated_at),
              r.path,
              r.last_error ?? '',
            ]),
            { width: ctx.terminal.width, paint: (cell, column) => (column === 2 ? paintState(cell, cell, ctx.terminal.colour) : cell) },
          );
          ctx.print(rows.length === 0 ? 'no jobs match' : table);
          return ExitCode.ok;
        },
        { record: false },
      ),
    );

  jobs
    .command('show')
    .description('one job whole: its error, output, files and the recording’s other jobs')
    .argument('<id>', 'job id (see `archivist status` or `archivist jobs list`)', parsePositiveInt)
    .addHelpText('after', '\nExample:\n  $ archivist jobs show 412\n')
    .action(
      action(
        runtime,
        'jobs show',
        async (ctx, id: number) => {
          const detail = await jobDetail(await ctx.db(), id);
          if (!detail) {
            ctx.warn(`job ${id} does not exist`);
            return ExitCode.workFailed;
          }
          if (ctx.json) ctx.printJson(detail);
          else ctx.print(renderJobDetail(detail, ctx.terminal));
          return ExitCode.ok;
        },
        { record: false },
      ),
    );

  jobs
    .command('retry')
    .description('run failed, dead or cancelled jobs again now, with fresh attempts')
    .argument('<id...>', 'job ids (see `archivist jobs list`)', collectJobIds)
    .addHelpText('after', '\nExample:\n  $ archivist jobs retry 412 413\n')
    .action(
      action(runtime, 'jobs retry', async (ctx, ids: number[]) =>
        actOnJobs(ctx, ids, async (db, id) => {
          const job = await retryJob(db, id, queuePolicy(ctx.config));
          return job ? { done: `job ${id} (${job.kind}) queued again` } : { refused: `job ${id} does not exist or is running or done` };
        }),
      ),
    );

  jobs
    .command('cancel')
    .description(
      'cancel jobs that have not finished (a running one stops at its next heartbeat), or every queued job of a kind with --kind',
    )
    .argument('[id...]', 'job ids', collectJobIds)
    .addOption(new Option('--kind <kind>', 'cancel every queued job of this kind (running ones finish)').choices(JOB_KINDS))
    .option('--site <key>', "with --kind: only that site's jobs")
    .addHelpText(
      'after',
      '\nExamples:\n  $ archivist jobs cancel 412\n  $ archivist jobs cancel --kind upload\n  $ archivist jobs cancel --kind transcribe --site flex8\n',
    )
    .action(
      action(runtime, 'jobs cancel', async (ctx, ids: number[] | undefined, opts: { kind?: JobKind; site?: string }) => {
        const given = ids ?? [];
        if (opts.kind === undefined) {
          if (opts.site !== undefined) throw new UsageError('--site needs --kind: archivist jobs cancel --kind <kind> --site <key>');
          if (given.length === 0)
            throw new UsageError('give job ids or --kind <kind>: archivist jobs cancel 412, archivist jobs cancel --kind upload');
          return actOnJobs(ctx, given, async (db, id) => {
            const [job] = await cancelJobs(db, { jobId: id }, 'cancelled by an operator');
            return job ? { done: `job ${id} (${job.kind}) cancelled` } : { refused: `job ${id} does not exist or has already finished` };
          });
        }
        if (given.length > 0) throw new UsageError('give job ids or --kind, not both');
        const cancelled = await cancelJobs(
          await ctx.db(),
          { kind: opts.kind, site: opts.site, states: ['queued'] },
          'cancelled by an operator',
        );
        const which = `queued ${opts.kind} job${cancelled.length === 1 ? '' : 's'}${opts.site === undefined ? '' : ` of site ${opts.site}`}`;
        if (ctx.json) ctx.printJson({ kind: opts.kind, site: opts.site ?? null, cancelled: cancelled.map((j) => j.id) });
        else ctx.print(cancelled.length === 0 ? `no ${which} to cancel` : `cancelled ${cancelled.length} ${which}`);
        return ExitCode.ok;
      }),
    );
  return jobs;
}
