/**
 * A worker process for the queue tests: the real command runtime (signals, runs, exit
 * codes) around the real drain loop, with a step that records or hangs on demand.
 */
import { Command, Option } from 'commander';
import { sql } from 'kysely';
import { action } from '../../src/lib/cli/action.js';
import { drainJobs, singleJobStep } from '../../src/lib/jobs/drain.js';

const program = new Command('test-worker')
  .addOption(new Option('--mode <mode>').choices(['record', 'hang', 'fail']).default('record'))
  .option('--concurrency <n>', 'parallel jobs', (v) => Number(v), 4)
  .option('--lease <seconds>', 'lease', (v) => Number(v), 300)
  .option('--json')
  .option('--config <file>')
  .option('--log-level <level>');

program.action(
  action('test-worker', async (ctx, opts: { mode: 'record' | 'hang' | 'fail'; concurrency: number; lease: number }) => {
    const db = await ctx.db();
    await sql`create table if not exists test_work_log (job_id integer not null, worker text not null)`.execute(db);
    const step = singleJobStep('probe', async (job, step) => {
      if (opts.mode === 'hang') {
        process.stdout.write(`claimed ${job.id}\n`);
        await new Promise((_, reject) => step.signal.addEventListener('abort', () => reject(step.signal.reason as Error), { once: true }));
      }
      if (opts.mode === 'fail') throw new Error(`step failed on purpose for job ${job.id}`);
      await sql`insert into test_work_log (job_id, worker) values (${job.id}, ${step.workerId})`.execute(step.db);
      return { ok: true };
    });
    const summary = await drainJobs({
      db,
      log: ctx.log,
      steps: [step],
      signal: ctx.signal,
      concurrency: opts.concurrency,
      leaseSeconds: opts.lease,
      heartbeatSeconds: 1,
      backoffBaseSeconds: 0,
      backoffMaxSeconds: 0,
    });
    ctx.setSummary(summary);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return summary.failed + summary.dead > 0 ? 1 : 0;
  }),
);

await program.parseAsync(process.argv);
