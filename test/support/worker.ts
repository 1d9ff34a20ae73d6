/**
 * A worker process for the queue tests: the real command runtime and process edge (signals,
 * runs, exit codes) around the real drain loop, with a step that records or hangs on demand.
 */
import { Command, Option } from 'commander';
import { sql } from 'kysely';
import { runAsProcess } from '../../src/lib/cli/process.js';
import { action, type CommandRuntime } from '../../src/lib/cli/run-command.js';
import { drainJobs } from '../../src/lib/jobs/drain.js';
import { singleJobStep } from '../../src/lib/pipeline/steps/define-step.js';

interface WorkerOptions {
  mode: 'record' | 'hang' | 'fail';
  concurrency: number;
  lease: number;
}

await runAsProcess(async (argv, io) => {
  const runtime: CommandRuntime = { io, exitCode: 0 };
  const program = new Command('test-worker')
    .addOption(new Option('--mode <mode>').choices(['record', 'hang', 'fail']).default('record'))
    .option('--concurrency <n>', 'parallel jobs', (v) => Number(v), 4)
    .option('--lease <seconds>', 'lease', (v) => Number(v), 300)
    .action(
      action(runtime, 'test-worker', async (ctx, opts: WorkerOptions) => {
        const db = await ctx.db();
        await sql`create table if not exists test_work_log (job_id integer not null, worker text not null)`.execute(db);
        const step = singleJobStep('probe', { engine: { batchSize: 1 } }, async (job, step) => {
          if (opts.mode === 'hang') {
            io.stdout.write(`claimed ${job.id}\n`);
            await new Promise((_, reject) => {
              step.signal.addEventListener(
                'abort',
                () => {
                  reject(step.signal.reason as Error);
                },
                { once: true },
              );
            });
          }
          if (opts.mode === 'fail') throw new Error(`step failed on purpose for job ${job.id}`);
          await sql`insert into test_work_log (job_id, worker) values (${job.id}, ${step.workerId})`.execute(step.db);
          return { status: 'succeeded' };
        });
        const summary = await drainJobs({
          db,
          log: ctx.log,
          steps: [step],
          signal: ctx.signal,
          policy: { maxAttempts: 5, backoffBaseSeconds: 0, backoffMaxSeconds: 0 },
          next: () => [],
          concurrency: opts.concurrency,
          leaseSeconds: opts.lease,
          heartbeatSeconds: 1,
        });
        ctx.setSummary(summary);
        io.stdout.write(`${JSON.stringify(summary)}\n`);
        return summary.failed + summary.dead > 0 ? 1 : 0;
      }),
    );
  await program.parseAsync([...argv], { from: 'user' });
  return runtime.exitCode;
});
