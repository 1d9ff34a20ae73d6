import { Command } from 'commander';
import type { CablecastClient } from '../lib/cablecast/client.js';
import { action, type CommandContext, type CommandRuntime } from '../lib/cli/run-command.js';
import { parseMinutes, parsePositiveInt } from '../lib/cli/parse.js';
import { ExitCode, UsageError } from '../lib/errors.js';
import type { Db } from '../lib/db/schema.js';
import { mediaWithDueLinks, mediaWithRunnableLinkJobs, queueDueLinks } from '../lib/linking/due-links.js';
import type { LinkEnv } from '../lib/linking/link-env.js';
import { linkByHand } from '../lib/linking/links-db.js';
import { linkStatuses } from '../lib/linking/link-status.js';
import { parseLinkTarget, resolveLinkTarget } from '../lib/linking/link-target.js';
import { previewLink, previewWriteback } from '../lib/linking/preview-link.js';
import { renderLinkDetail, renderLinkTable, renderPreviews } from '../lib/linking/render-links.js';
import { ShowCatalog } from '../lib/linking/show-catalog.js';
import { requeueJob } from '../lib/jobs/enqueue-job.js';
import { queuePolicy, runPipeline } from '../lib/pipeline/run-pipeline.js';
import { pipelineSteps } from '../lib/pipeline/steps/index.js';
import { describeDrain, drainExitCode, reportDeferrals } from '../lib/cli/drain-report.js';

interface LinkQueueOptions {
  link?: string;
  show?: number;
  status?: string | boolean;
  dryRun?: boolean;
  limit?: number;
  budget?: number;
}

export function command(runtime: CommandRuntime): Command {
  return new Command('link-queue')
    .option('--link <id>', 'link this recording by hand (media:<id>, transcript:<id>, or a bare id); needs --show')
    .option('--show <show-id>', 'with --link: the Cablecast show id', parsePositiveInt)
    .option('--status [id]', 'show link states: all, or one recording (media:<id>, transcript:<id>)')
    .option('--dry-run', 'show what would be linked and written, change nothing')
    .option('--limit <n>', 'run at most this many link jobs', parsePositiveInt)
    .option('--budget <minutes>', 'stop taking new link jobs after this long', parseMinutes)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist link-queue                          # link what is due (the timer runs this)\n' +
        '  $ archivist link-queue --dry-run                # what would be linked and written\n' +
        '  $ archivist link-queue --status                 # every link and its state\n' +
        '  $ archivist link-queue --status media:42        # one recording, with suggestions\n' +
        '  $ archivist link-queue --link media:42 --show 17601\n',
    )
    .action(
      action(runtime, 'link-queue', async (ctx, opts: LinkQueueOptions) => {
        if ((opts.link === undefined) !== (opts.show === undefined)) throw new UsageError('--link and --show go together');
        if (opts.status !== undefined && (opts.link !== undefined || opts.dryRun || opts.limit || opts.budget)) {
          throw new UsageError('--status only reports; it takes no other options');
        }
        if (opts.link !== undefined && (opts.limit || opts.budget))
          throw new UsageError('--limit and --budget apply to draining link jobs, not to --link');
        const db = await ctx.db();
        if (opts.status !== undefined) return showStatus(ctx, db, opts.status);
        return opts.link !== undefined && opts.show !== undefined
          ? await linkOne(ctx, db, opts.link, opts.show, opts.dryRun === true)
          : await drain(ctx, db, opts);
      }),
    );
}

async function showStatus(ctx: CommandContext, db: Db, id: string | boolean): Promise<number> {
  if (id === true) {
    const links = await linkStatuses(db);
    if (ctx.json) ctx.printJson(links);
    else ctx.print(renderLinkTable(links, ctx.terminal.width));
    return ExitCode.ok;
  }
  const target = await resolveLinkTarget(db, parseLinkTarget(String(id)));
  const [link] = await linkStatuses(db, { transcriptId: target.transcriptId });
  if (ctx.json) ctx.printJson(link ?? { mediaId: target.mediaId, transcriptId: target.transcriptId, state: null });
  else ctx.print(link ? renderLinkDetail(link) : `media ${target.mediaId} has no link yet (its link job has not run)`);
  return ExitCode.ok;
}

function linkEnv(ctx: CommandContext, client: CablecastClient): LinkEnv {
  return {
    client,
    catalog: new ShowCatalog(),
    settings: ctx.config.linking,
    sites: ctx.config.sites,
    uploadEnabled: ctx.config.pipeline.upload,
    now: () => new Date(),
  };
}

async function linkOne(ctx: CommandContext, db: Db, id: string, showId: number, dryRun: boolean): Promise<number> {
  const target = await resolveLinkTarget(db, parseLinkTarget(id));
  const client = await ctx.cablecast();
  const show = await client.getShow(showId);
  if (show === null) throw new UsageError(`Cablecast has no show ${showId}`);
  if (dryRun) {
    const writeback = await previewWriteback(db, target.mediaId, showId, null, linkEnv(ctx, client));
    const plan = { mediaId: target.mediaId, transcriptId: target.transcriptId, showId, title: show.show.title, writeback };
    if (ctx.json) ctx.printJson(plan);
    else ctx.print(`would link media ${target.mediaId} to show ${showId} ("${show.show.title}") by hand; write-back: ${writeback}`);
    return ExitCode.ok;
  }
  await linkByHand(db, target.transcriptId, showId);
  // The write-back goes through the link job, so a failure is retried like any other.
  await requeueJob(db, { mediaId: target.mediaId, kind: 'link' }, queuePolicy(ctx.config));
  const summary = await runPipeline({
    db,
    config: ctx.config,
    log: ctx.log,
    signal: ctx.signal,
    steps: await pipelineSteps(ctx.pipeline(), ['link']),
    mediaIds: [target.mediaId],
  });
  const [link] = await linkStatuses(db, { transcriptId: target.transcriptId });
  ctx.setSummary({ ...summary, linked: { mediaId: target.mediaId, showId } });
  if (ctx.json) ctx.printJson(link);
  else if (link) ctx.print(renderLinkDetail(link));
  reportDeferrals(ctx, summary);
  return drainExitCode(summary);
}

async function drain(ctx: CommandContext, db: Db, opts: LinkQueueOptions): Promise<number> {
  const writeback = ctx.config.linking.writeback !== undefined;
  // Without Cablecast nothing can be linked: say so before touching the queue.
  const env = linkEnv(ctx, await ctx.cablecast());
  if (opts.dryRun) {
    const mediaIds = [...new Set([...(await mediaWithRunnableLinkJobs(db)), ...(await mediaWithDueLinks(db, { writeback }))])].sort(
      (a, b) => a - b,
    );
    const media =
      mediaIds.length === 0
        ? []
        : await db.selectFrom('media').selectAll().where('id', 'in', mediaIds).where('state', '=', 'active').orderBy('id').execute();
    const previews = [];
    for (const row of media.slice(0, opts.limit ?? media.length)) previews.push(await previewLink(db, row, env));
    if (ctx.json) ctx.printJson(previews);
    else ctx.print(renderPreviews(previews, ctx.terminal.width));
    return ExitCode.ok;
  }
  const requeued = await queueDueLinks(db, { writeback }, queuePolicy(ctx.config));
  const summary = await runPipeline({
    db,
    config: ctx.config,
    log: ctx.log,
    signal: ctx.signal,
    steps: await pipelineSteps(ctx.pipeline(), ['link']),
    limit: opts.limit,
    budgetMinutes: opts.budget,
  });
  const states = await linkStateCounts(db);
  ctx.setSummary({ ...summary, requeued: requeued.length, links: states });
  if (ctx.json) ctx.printJson({ summary, requeued: requeued.length, links: states });
  else {
    ctx.print(describeDrain('link', summary));
    ctx.print(
      `links: ${
        Object.entries(states)
          .map(([state, n]) => `${state} ${n}`)
          .join(', ') || 'none'
      }`,
    );
  }
  reportDeferrals(ctx, summary);
  return drainExitCode(summary);
}

async function linkStateCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('links')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .orderBy('state')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}
