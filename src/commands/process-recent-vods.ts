import { Command, Option } from 'commander';
import { action } from '../lib/cli/action.js';
import { parseMinutes, parsePositiveInt, parseSince } from '../lib/cli/parse.js';
import { cablecastFromConfig } from '../lib/cablecast/from-config.js';
import { JOB_KINDS, type JobKind } from '../lib/db/schema.js';
import { ExitCode, UsageError } from '../lib/errors.js';
import { createAgent } from '../lib/fetch/agent.js';
import { discover, enqueueDiscovered } from '../lib/pipeline/discover.js';
import { renderDiscovery } from '../lib/pipeline/render-discovery.js';
import { resolveEngine } from '../lib/pipeline/resolve-engine.js';
import { runPipeline } from '../lib/pipeline/run-pipeline.js';
import { RUNNABLE_KINDS, pipelineSteps, runnableKinds } from '../lib/pipeline/steps/index.js';

interface Options {
  site?: string[];
  since?: Date;
  limit?: number;
  steps?: JobKind[];
  concurrency?: number;
  budget?: number;
  dryRun?: boolean;
}

function parseSteps(value: string): JobKind[] {
  const kinds = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = kinds.filter((k) => !(JOB_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new UsageError(`--steps: unknown step ${unknown.join(', ')}; steps are ${JOB_KINDS.join(', ')}`);
  return kinds as JobKind[];
}

export function processRecentVodsCommand(): Command {
  return new Command('process-recent-vods')
    .description('the nightly run: find new recordings on the shares (and Cablecast), queue them, and run every step')
    .addOption(new Option('--site <key...>', 'only these sites (config sites[].key)'))
    .option('--since <when>', 'lookback: 7d, 36h, or a date (default: discovery.lookbackDays)', (v) => parseSince(v))
    .option('--limit <n>', 'queue at most this many new recordings (after filtering)', parsePositiveInt)
    .option('--steps <kinds>', `only run these steps, comma-separated (${JOB_KINDS.join(',')}); e.g. transcribe on a GPU host`, parseSteps)
    .option('--concurrency <n>', 'jobs run at once (default: jobs.concurrency)', parsePositiveInt)
    .option('--budget <minutes>', 'stop taking new jobs after this long; the rest waits for the next run', parseMinutes)
    .option('--dry-run', 'print what would be queued and change nothing')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist process-recent-vods\n' +
        '  $ archivist process-recent-vods --site flex1 --since 3d --limit 5 --dry-run\n' +
        '  $ archivist process-recent-vods --steps transcribe --budget 600   # a GPU host\n',
    )
    .action(
      action('process-recent-vods', async (ctx, opts: Options) => {
        const { config } = ctx;
        const known = new Set(config.sites.map((s) => s.key));
        const unknownSites = (opts.site ?? []).filter((k) => !known.has(k));
        if (unknownSites.length > 0) {
          throw new UsageError(`unknown site ${unknownSites.join(', ')}; configured sites: ${[...known].join(', ') || '(none)'}`);
        }
        const sites = opts.site ? config.sites.filter((s) => opts.site?.includes(s.key)) : config.sites;
        const since = opts.since ?? new Date(Date.now() - config.discovery.lookbackDays * 86_400_000);
        if (sites.length === 0) ctx.log.warn('no sites are configured (config "sites"): nothing to discover');

        const client = cablecastFromConfig(config, ctx.log, ctx.signal);
        const cablecastNote = client ? null : 'Cablecast is not configured: VOD discovery, fetch, upload and link steps are skipped';
        if (cablecastNote) ctx.log.info(cablecastNote);
        const dispatcher =
          client && config.cablecast
            ? createAgent(
                {
                  verifyTls: config.cablecast.verifyTls,
                  caFile: config.cablecast.caFile,
                  timeoutMs: config.cablecast.timeoutSeconds * 1000,
                  settingPrefix: 'cablecast',
                },
                ctx.log,
              )
            : null;

        try {
          const db = await ctx.db();
          const spinner = ctx.progress(`looking for new recordings on ${sites.length} site${sites.length === 1 ? '' : 's'}`);
          const discovery = await discover({
            db,
            config,
            sites,
            since,
            log: ctx.log,
            cablecast: client && dispatcher ? { client, dispatcher } : null,
            ...(opts.limit ? { limit: opts.limit } : {}),
          });
          const problems = [...discovery.shares, ...discovery.cablecast].flatMap((s) => (s.error ? [s.error] : []));
          spinner.stop();

          if (opts.dryRun) {
            if (ctx.json) ctx.printJson({ dryRun: true, ...discovery, cablecast: cablecastNote ?? discovery.cablecast });
            else ctx.print(renderDiscovery(discovery));
            return problems.length > 0 ? ExitCode.workFailed : ExitCode.ok;
          }

          const queued = await enqueueDiscovered(db, discovery, config.jobs.maxAttempts);
          const kinds = runnableKinds(config, opts.steps ?? RUNNABLE_KINDS);
          const summary = await runPipeline({
            db,
            config,
            log: ctx.log,
            signal: ctx.signal,
            steps: pipelineSteps({ config, engine: resolveEngine(config.engine), log: ctx.log }, kinds.run),
            ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
            ...(opts.budget ? { budgetMinutes: opts.budget } : {}),
          });
          const result = {
            sites: discovery.shares.map((s) => ({
              site: s.site,
              found: s.recordings.length,
              skipped: s.skipped.length,
              error: s.error ?? null,
            })),
            queued: queued.length,
            deferred: discovery.deferred,
            jobs: summary,
            problems,
            ...(cablecastNote ? { cablecast: cablecastNote } : {}),
            ...(kinds.skipped.length > 0 ? { skippedSteps: kinds.skipped } : {}),
          };
          ctx.setSummary(result);
          if (ctx.json) ctx.printJson(result);
          else {
            ctx.print(renderDiscovery(discovery));
            ctx.print(
              `\nqueued ${queued.length} new recording${queued.length === 1 ? '' : 's'}; ran ${summary.claimed} job${summary.claimed === 1 ? '' : 's'}: ` +
                `${summary.succeeded} done, ${summary.failed} to retry, ${summary.dead} failed for good` +
                (summary.stoppedBy === 'budget' ? ' (budget reached; the rest waits for the next run)' : ''),
            );
            if (cablecastNote) ctx.print(cablecastNote);
          }
          return problems.length > 0 || summary.failed + summary.dead > 0 ? ExitCode.workFailed : ExitCode.ok;
        } finally {
          await client?.close();
          await dispatcher?.close();
        }
      }),
    );
}
