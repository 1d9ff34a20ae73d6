import { Command } from 'commander';
import { parsePositiveInt, parseSince } from '../lib/cli/parse.js';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { ExitCode, UsageError } from '../lib/errors.js';
import { FILES_SITE } from '../lib/pipeline/register-files.js';
import { renderHits } from '../lib/search/render-hits.js';
import { searchTranscripts } from '../lib/search/search-transcripts.js';

interface SearchCommandOptions {
  site?: string;
  since?: Date;
  limit: number;
}

export function command(runtime: CommandRuntime): Command {
  return new Command('search')
    .argument('<phrase>', 'words to find; "quoted words" must be said in that order, -word must not be said, or between alternatives')
    .option('--site <key>', 'only recordings of this site')
    .option('--since <when>', 'only recordings dated on or after: a date like 2026-11-01, or 30d, 2w', (v) => parseSince(v))
    .option('--limit <n>', 'at most this many hits', parsePositiveInt, 20)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist search \'"patio permit"\'\n' +
        '  $ archivist search \'"patio permit" -fence\' --site flex1 --since 2026-01-01\n' +
        "  $ archivist --json search '\"street reconstruction\"' | jq '.[] | {path, start}'\n" +
        '\nEach hit is a passage of a transcript: its recording, the time of the first and last\n' +
        'matched word, and the sentence around it with the match between « and ». Newest first.\n',
    )
    .action(
      action(
        runtime,
        'search',
        async (ctx, phrase: string, opts: SearchCommandOptions) => {
          if (phrase.trim() === '') throw new UsageError('search: the phrase is empty');
          const site = opts.site;
          if (site !== undefined && !ctx.config.sites.some((s) => s.key === site) && site !== FILES_SITE) {
            throw new UsageError(`--site: no site "${site}" in the configuration`);
          }
          const hits = await searchTranscripts(await ctx.db(), phrase, { site, since: opts.since, limit: opts.limit });
          if (ctx.json) ctx.printJson(hits);
          else ctx.print(renderHits(hits));
          return ExitCode.ok;
        },
        { record: false },
      ),
    );
}
