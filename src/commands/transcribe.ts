import { Command, Option } from 'commander';
import { drainExitCode, reportDeferrals, reportDrain } from '../lib/cli/drain-report.js';
import { ensureOutDir } from '../lib/cli/out-dir.js';
import { parseMinutes, parsePositiveInt } from '../lib/cli/parse.js';
import { action, type CommandContext, type CommandRuntime } from '../lib/cli/run-command.js';
import { ExitCode, UsageError, mostSerious } from '../lib/errors.js';
import { hasFailure, mediaReport } from '../lib/pipeline/media-report.js';
import { registerFiles } from '../lib/pipeline/register-files.js';
import { renderMediaReports } from '../lib/pipeline/render-media-report.js';
import type { EngineOverrides } from '../lib/pipeline/resolve-engine.js';
import { queuePolicy, runPipeline } from '../lib/pipeline/run-pipeline.js';
import { pipelineSteps } from '../lib/pipeline/steps/index.js';
import { kindsToCaptions } from '../lib/stages.js';
import { engineKinds } from '../lib/transcription/engine-config.js';

interface TranscribeOptions extends EngineOverrides {
  out?: string;
  force?: boolean;
  discardEdits?: boolean;
  limit?: number;
  budget?: number;
}

async function run(ctx: CommandContext, files: string[], opts: TranscribeOptions): Promise<number> {
  if (files.length === 0 && (opts.out !== undefined || opts.force === true || opts.discardEdits === true)) {
    throw new UsageError('--out, --force and --discard-edits apply to files given on the command line');
  }
  const db = await ctx.db();
  const { engine, engineCommand, model, language } = opts;
  const captionsOutDir = opts.out === undefined ? undefined : await ensureOutDir(opts.out, ctx.cwd);
  const deps = ctx.pipeline({
    engine: { engine, engineCommand, model, language },
    force: opts.force,
    discardEdits: opts.discardEdits,
    captionsOutDir,
  });

  if (files.length === 0) {
    const summary = await runPipeline({
      db,
      config: ctx.config,
      log: ctx.log,
      signal: ctx.signal,
      steps: await pipelineSteps(deps, ['transcribe']),
      limit: opts.limit,
      budgetMinutes: opts.budget,
    });
    return reportDrain(ctx, 'transcribe', summary);
  }

  const media = await registerFiles(db, files, ctx.cwd, queuePolicy(ctx.config));
  const mediaIds = media.map((m) => m.id);
  const steps = await pipelineSteps(deps, kindsToCaptions('file', ctx.config));
  const summary = await runPipeline({ db, config: ctx.config, log: ctx.log, signal: ctx.signal, steps, mediaIds });
  const reports = await mediaReport(db, mediaIds);
  ctx.setSummary({ ...summary, media: mediaIds });
  if (ctx.json) ctx.printJson({ summary, media: reports });
  else ctx.print(renderMediaReports(reports, ctx.terminal.width));
  reportDeferrals(ctx, summary);
  return mostSerious([drainExitCode(summary), reports.some(hasFailure) ? ExitCode.workFailed : ExitCode.ok]);
}

export function command(runtime: CommandRuntime): Command {
  return new Command('transcribe')
    .argument('[files...]', 'recordings to transcribe; without any, queued transcribe jobs are run')
    .addOption(new Option('--engine <kind>', 'engine (default: engine.kind)').choices(engineKinds))
    .option('--engine-command <path>', "engine executable (default: engine.command, else the engine's usual name on PATH)")
    .option('--model <model>', 'model name or file (default: engine.model)')
    .option('--language <code>', 'spoken language, e.g. en (default: engine.language)')
    .option('--out <dir>', 'where caption files go (default: beside each file)')
    .option('--force', 'transcribe again even when a file is unchanged since its last transcript')
    .option('--discard-edits', 'replace captions a person edited and imported (archivist captions import) with new ones')
    .option('--limit <n>', 'without files: run at most this many jobs', parsePositiveInt)
    .option('--budget <minutes>', 'without files: stop taking new jobs after this long', parseMinutes)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist transcribe "/mnt/flex-1/17601-1-Birchwood City Council (20220111).mp4"\n' +
        '  $ archivist transcribe meeting.mp4 --engine faster-whisper --model large-v2 --out /srv/captions\n' +
        '  $ archivist transcribe --limit 10 --budget 120    # drain queued transcribe jobs\n',
    )
    .action(action(runtime, 'transcribe', run));
}
