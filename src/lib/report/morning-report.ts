import { parseSince } from '../cli/parse.js';
import type { CommandContext } from '../cli/run-command.js';
import { errorMessage } from '../errors.js';
import { collectReport } from './collect-report.js';
import { renderReportHtml } from './render-html.js';
import { reportsDir, writeNightlyPages } from './write-report.js';

/**
 * The page a person reads in the morning: the last 24 hours, as `<state>/reports/<date>.html`
 * and `latest.html`. A page that cannot be written is said on stderr; the captions stand.
 */
export async function writeMorningReport(ctx: CommandContext): Promise<void> {
  const now = new Date();
  try {
    const report = await collectReport(await ctx.db(), ctx.config, { since: parseSince('24h', now), now });
    const pages = await writeNightlyPages(ctx.config.paths.state, renderReportHtml(report), now);
    ctx.log.info({ report: pages.dated }, 'wrote the morning report');
  } catch (error) {
    ctx.warn(`could not write the morning report under ${reportsDir(ctx.config.paths.state)}: ${errorMessage(error)}`);
  }
}
