import Table from 'cli-table3';
import { Command, Option } from 'commander';
import { action } from '../lib/cli/action.js';
import { parsePositiveInt } from '../lib/cli/parse.js';
import { JOB_KINDS, JOB_STATES, type JobKind, type JobState } from '../lib/db/schema.js';
import { ExitCode } from '../lib/errors.js';
import { cancelJobs } from '../lib/jobs/cancel-job.js';
import { listJobs } from '../lib/jobs/list-jobs.js';
import { retryJob } from '../lib/jobs/retry-job.js';
import { formatTime, truncate } from '../lib/status/format.js';

function jobIds(values: string[]): number[] {
  return values.map((v) => parsePositiveInt(v));
}

export function jobsCommand(): Command {
  const jobs = new Command('jobs').description('list, retry or cancel jobs by id');

  jobs
    .command('list')
    .description('jobs with their file, newest first')
    .addOption(new Option('--state <state>', 'only jobs in this state').choices(JOB_STATES))
    .addOption(new Option('--kind <kind>', 'only jobs of this kind').choices(JOB_KINDS))
    .option('--limit <n>', 'how many', parsePositiveInt, 50)
    .addHelpText('after', '\nExamples:\n  $ archivist jobs list --state dead\n  $ archivist jobs list --kind transcribe --json\n')
    .action(
      action('jobs list', async (ctx, opts: { state?: JobState; kind?: JobKind; limit: number }) => {
        const rows = await listJobs(await ctx.db(), opts);
        if (ctx.json) return ctx.printJson(rows);
        const table = new Table({ head: ['job', 'kind', 'state', 'attempts', 'updated', 'file', 'last error'], style: { head: [], border: [] } });
        for (const r of rows) {
          table.push([String(r.id), r.kind, r.state, `${r.attempts}/${r.max_attempts}`, formatTime(r.updated_at), truncate(r.path, 50), truncate(r.last_error ?? '', 60)]);
        }
        ctx.print(rows.length === 0 ? 'no jobs match' : table.toString());
      }, { record: false }),
    );

  jobs
    .command('retry')
    .description('run failed, dead or cancelled jobs again now, with fresh attempts')
    .argument('<id...>', 'job ids (see `archivist jobs list`)')
    .addHelpText('after', '\nExample:\n  $ archivist jobs retry 412 413\n')
    .action(
      action('jobs retry', async (ctx, ids: string[]) => {
        const db = await ctx.db();
        let missing = 0;
        for (const id of jobIds(ids)) {
          const job = await retryJob(db, id);
          if (job) ctx.print(`job ${id} (${job.kind}) queued again`);
          else {
            missing += 1;
            process.stderr.write(`archivist: job ${id} does not exist or is running or done\n`);
          }
        }
        return missing > 0 ? ExitCode.workFailed : ExitCode.ok;
      }),
    );

  jobs
    .command('cancel')
    .description('cancel jobs that have not finished (a running one stops at its next heartbeat)')
    .argument('<id...>', 'job ids')
    .addHelpText('after', '\nExample:\n  $ archivist jobs cancel 412\n')
    .action(
      action('jobs cancel', async (ctx, ids: string[]) => {
        const db = await ctx.db();
        let missing = 0;
        for (const id of jobIds(ids)) {
          const [job] = await cancelJobs(db, { jobId: id }, 'cancelled by an operator');
          if (job) ctx.print(`job ${id} (${job.kind}) cancelled`);
          else {
            missing += 1;
            process.stderr.write(`archivist: job ${id} does not exist or has already finished\n`);
          }
        }
        return missing > 0 ? ExitCode.workFailed : ExitCode.ok;
      }),
    );
  return jobs;
}
