import { resolve } from 'node:path';
import { Command } from 'commander';
import { parseSince } from '../lib/cli/parse.js';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { ExitCode, UsageError } from '../lib/errors.js';
import { collectReport } from '../lib/report/collect-report.js';
import { renderReportHtml } from '../lib/report/render-html.js';
import { renderReportText } from '../lib/report/render-text.js';
import { writeReportPage } from '../lib/report/write-report.js';
import { paintState } from '../lib/text/colour.js';

interface Options {
  since: Date;
  site?: string;
  html?: string;
}

export function command(runtime: CommandRuntime): Command {
  return new Command('report')
    .option('--since <when>', 'from how far back: 24h, 7d, or a date (default 24h)', (v) => parseSince(v))
    .option('--site <key>', 'only this site (config sites[].key)')
    .option('--html <file>', 'also write the report as a self-contained web page to this file')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist report\n' +
        '  $ archivist report --since 7d --site flex1\n' +
        '  $ archivist report --json | jq \'.recordings[] | select(.outcome == "failed")\'\n' +
        '  $ archivist report --html /var/www/archivist/index.html\n',
    )
    .action(
      action(
        runtime,
        'report',
        async (ctx, opts: Partial<Options>) => {
          if (opts.site !== undefined && !ctx.config.sites.some((s) => s.key === opts.site)) {
            const known = ctx.config.sites.map((s) => s.key).join(', ') || '(none)';
            throw new UsageError(`unknown site ${opts.site}; configured sites: ${known}`);
          }
          const now = new Date();
          const report = await collectReport(await ctx.db(), ctx.config, {
            since: opts.since ?? parseSince('24h', now),
            site: opts.site,
            now,
          });
          if (opts.html !== undefined) {
            const file = resolve(ctx.cwd, opts.html);
            await writeReportPage(file, renderReportHtml(report));
            if (!ctx.json) ctx.print(`wrote ${file}`);
          }
          if (ctx.json) ctx.printJson(report);
          else if (opts.html === undefined) {
            ctx.print(
              renderReportText(report, {
                width: ctx.terminal.width,
                paint: (text, outcome) => paintState(text, outcome, ctx.terminal.colour),
              }),
            );
          }
          return ExitCode.ok;
        },
        { record: false },
      ),
    );
}
