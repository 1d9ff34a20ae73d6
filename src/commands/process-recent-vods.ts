import { Command, InvalidArgumentError, Option } from 'commander';
import { deferralsExitCode, drainExitCode, reportDeferrals } from '../lib/cli/drain-report.js';
import { parseMinutes, parsePositiveInt, parseSince } from '../lib/cli/parse.js';
import { action, type CommandContext, type CommandRuntime } from '../lib/cli/run-command.js';
import { ExitCode, UsageError, mostSerious } from '../lib/errors.js';
import { deferralOf } from '../lib/jobs/deferral.js';
import { discover, enqueueDiscovered, type Discovery } from '../lib/pipeline/discover.js';
import { renderDiscovery } from '../lib/pipeline/render-discovery.js';
import { queuePolicy, runPipeline } from '../lib/pipeline/run-pipeline.js';
import { pipelineSteps } from '../lib/pipeline/steps/index.js';
import { JOB_KINDS, runnableKinds, stageOf, type JobKind } from '../lib/stages.js';

/** What a Cablecast that refuses or does not answer stops besides the steps that need it. */
const VOD_DISCOVERY = 'Cablecast VOD discovery';

interface Options {
  discardEdits?: boolean;
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
  const known = kinds.flatMap((k) => JOB_KINDS.filter((kind) => kind === k));
  if (known.length !== kinds.length) {
    const unknown = kinds.filter((k) => !known.some((kind) => kind === k));
    throw new InvalidArgumentError(`unknown step ${unknown.join(', ')}; steps are ${JOB_KINDS.join(', ')}`);
  }
  return known;
}

async function run(ctx: CommandContext, opts: Options): Promise<number> {
  const { config } = ctx;
  const known = new Set(config.sites.map((s) => s.key));
  const unknownSites = (opts.site ?? []).filter((k) => !known.has(k));
  if (unknownSites.length > 0) {
    throw new UsageError(`unknown site ${unknownSites.join(', ')}; configured sites: ${[...known].join(', ') || '(none)'}`);
  }
  const sites = opts.site ? config.sites.filter((s) => opts.site?.includes(s.key)) : config.sites;
  const since = opts.since ?? new Date(Date.now() - config.discovery.lookbackDays * 86_400_000);
  if (sites.length === 0) ctx.log.warn('no sites are configured (config "sites"): nothing to discover');
  const cablecastNote = config.cablecast ? null : 'Cablecast is not configured: VOD discovery, fetch, upload and link steps are skipped';
  if (cablecastNote) ctx.log.info(cablecastNote);

  const db = await ctx.db();
  const spinner = ctx.progress.spinner(`looking for new recordings on ${sites.length} site${sites.length === 1 ? '' : 's'}`);
  const discovery = await discover({
    db,
    config,
    sites,
    since,
    log: ctx.log,
    cablecast: config.cablecast ? await ctx.cablecast() : null,
    limit: opts.limit,
  });
  const problems = [...discovery.shares, ...discovery.cablecast].flatMap((s) => (s.error ? [s.error] : []));
  spinner.stop();
  const kinds = runnableKinds(config, opts.steps ?? JOB_KINDS);
  const failure = discovery.cablecastFailure;
  // Shows that could not be judged are items that failed this time: each is named once, with its reason.
  const undecided = undecidedShows(discovery);

  if (opts.dryRun) {
    const steps = kinds.run.map((kind) => ({ kind, needs: stageOf(kind).needs }));
    const waiting = failure === null ? [] : [deferralOf(failure, steps, { work: [VOD_DISCOVERY] })];
    if (ctx.json) {
      const { shares, candidates, deferred } = discovery;
      ctx.printJson({ dryRun: true, shares, cablecast: cablecastNote ?? discovery.cablecast, candidates, deferred, waiting });
    } else ctx.print(renderDiscovery(discovery, ctx.terminal.width));
    reportDeferrals(ctx, { deferred: waiting });
    for (const line of undecided) ctx.warn(line);
    return mostSerious([problems.length + undecided.length > 0 ? ExitCode.workFailed : ExitCode.ok, deferralsExitCode(waiting)]);
  }

  const queued = await enqueueDiscovered(db, discovery, queuePolicy(config));
  const summary = await runPipeline({
    db,
    config,
    log: ctx.log,
    signal: ctx.signal,
    steps: await pipelineSteps(ctx.pipeline({ discardEdits: opts.discardEdits }), kinds.run),
    concurrency: opts.concurrency,
    budgetMinutes: opts.budget,
    sites: opts.site,
    failedBefore: failure === null ? [] : [{ error: failure, work: [VOD_DISCOVERY] }],
  });
  const result = {
    sites: discovery.shares.map((s) => ({ site: s.site, found: s.recordings.length, skipped: s.skipped.length, error: s.error ?? null })),
    vods: discovery.cablecast.map((s) => ({ site: s.site, found: s.recordings.length, skipped: s.skipped, error: s.error ?? null })),
    queued: queued.length,
    deferred: discovery.deferred,
    jobs: summary,
    problems,
    // Printed and stored as JSON, where an undefined value leaves its key out.
    cablecast: cablecastNote ?? undefined,
    skippedSteps: kinds.skipped.length > 0 ? kinds.skipped : undefined,
  };
  ctx.setSummary(result);
  reportDeferrals(ctx, summary);
  for (const line of undecided) ctx.warn(line);
  // Loaded once the steps are done, so their work does not carry the report's code.
  const { writeMorningReport } = await import('../lib/report/morning-report.js');
  await writeMorningReport({ db: await ctx.db(), config: ctx.config, log: ctx.log, warn: ctx.warn });
  if (ctx.json) ctx.printJson(result);
  else {
    ctx.print(renderDiscovery(discovery, ctx.terminal.width));
    ctx.print(
      `\nqueued ${queued.length} new recording${queued.length === 1 ? '' : 's'}; ran ${summary.claimed} job${summary.claimed === 1 ? '' : 's'}: ` +
        `${summary.succeeded} done, ${summary.failed} to retry, ${summary.dead} failed for good` +
        (summary.stoppedBy === 'budget' ? ' (budget reached; the rest waits for the next run)' : ''),
    );
    if (cablecastNote) ctx.print(cablecastNote);
  }
  return mostSerious([problems.length + undecided.length > 0 ? ExitCode.workFailed : ExitCode.ok, drainExitCode(summary)]);
}

/** One line per Cablecast show discovery could not judge (a record it cannot read, a failing playlist). */
function undecidedShows(discovery: Discovery): string[] {
  return discovery.cablecast.flatMap((scan) =>
    scan.skipped
      .filter((skip) => skip.kind === 'unknown')
      .map(
        (skip) =>
          `Cablecast show ${skip.showId}${skip.title === null ? '' : ` (${skip.title})`} of site ${scan.site} skipped for now: ${skip.reason}`,
      ),
  );
}

export function command(runtime: CommandRuntime): Command {
  return new Command('process-recent-vods')
    .addOption(new Option('--site <key...>', 'only these sites (config sites[].key)'))
    .option('--since <when>', 'lookback: 7d, 36h, or a date (default: discovery.lookbackDays)', (v) => parseSince(v))
    .option('--limit <n>', 'queue at most this many new recordings (after filtering)', parsePositiveInt)
    .option('--steps <kinds>', `only run these steps, comma-separated (${JOB_KINDS.join(',')}); e.g. transcribe on a GPU host`, parseSteps)
    .option('--concurrency <n>', 'jobs run at once (default: jobs.concurrency)', parsePositiveInt)
    .option('--budget <minutes>', 'stop taking new jobs after this long; the rest waits for the next run', parseMinutes)
    .option('--dry-run', 'print what would be queued and change nothing')
    .option(
      '--discard-edits',
      'replace the captions people edited and imported (archivist captions import) of the recordings it transcribes',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist process-recent-vods\n' +
        '  $ archivist process-recent-vods --site flex1 --since 3d --limit 5 --dry-run\n' +
        '  $ archivist process-recent-vods --steps transcribe --budget 600   # a GPU host\n',
    )
    .action(action(runtime, 'process-recent-vods', run));
}
