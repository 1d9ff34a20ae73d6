import { Command, Option } from 'commander';
import { action } from '../lib/cli/action.js';
import { parseMinutes, parsePositiveInt } from '../lib/cli/parse.js';
import { ExitCode, UsageError } from '../lib/errors.js';
import { hasFailure, mediaReport } from '../lib/pipeline/media-report.js';
import { registerFiles } from '../lib/pipeline/register-files.js';
import { resolveEngine, type EngineOverrides } from '../lib/pipeline/resolve-engine.js';
import { runPipeline } from '../lib/pipeline/run-pipeline.js';
import { pipelineSteps } from '../lib/pipeline/steps/index.js';
import { reportDrain } from '../lib/cli/drain-report.js';
import { ensureOutDir } from '../lib/cli/out-dir.js';
import { engineKinds } from '../lib/transcription/engine-config.js';
import { renderMediaReports } from '../lib/pipeline/render-media-report.js';

interface TranscribeOptions extends EngineOverrides {
  out?: string;
  force?: boolean;
  limit?: number;
  budget?: number;
}

export function transcribeCommand(): Command {
  return new Command('transcribe')
    .description('transcribe files (and write their captions), or drain queued transcribe jobs')
    .argument('[files...]', 'recordings to transcribe; without any, queued transcribe jobs are run')
    .addOption(new Option('--engine <kind>', 'engine (default: engine.kind)').choices(engineKinds))
    .option('--engine-command <path>', "engine executable (default: engine.command, else the engine's usual name on PATH)")
    .option('--model <model>', 'model name or file (default: engine.model)')
    .option('--language <code>', 'spoken language, e.g. en (default: engine.language)')
    .option('--out <dir>', 'where caption files go (default: beside each file)')
    .option('--force', 'transcribe again even when a file is unchanged since its last transcript')
    .option('--limit <n>', 'without files: run at most this many jobs', parsePositiveInt)
    .option('--budget <minutes>', 'without files: stop taking new jobs after this long', parseMinutes)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist transcribe "/mnt/flex-1/17601-1-Birchwood City Council (20220111).mp4"\n' +
        '  $ archivist transcribe meeting.mp4 --engine faster-whisper --model large-v2 --out /srv/captions\n' +
        '  $ archivist transcribe --limit 10 --budget 120    # drain queued transcribe jobs\n',
    )
    .action(
      action('transcribe', async (ctx, files: string[], opts: TranscribeOptions) => {
        const db = await ctx.db();
        const engine = resolveEngine(ctx.config.engine, opts);
        if (files.length === 0 && (opts.out || opts.force)) {
          throw new UsageError('--out and --force apply to files given on the command line');
        }
        const captionsOutDir = opts.out ? await ensureOutDir(opts.out) : undefined;
        const deps = {
          config: ctx.config,
          engine,
          log: ctx.log,
          ...(opts.force ? { force: true } : {}),
          ...(captionsOutDir ? { captionsOutDir } : {}),
        };

        if (files.length === 0) {
          const summary = await runPipeline({
            db,
            config: ctx.config,
            log: ctx.log,
            signal: ctx.signal,
            steps: pipelineSteps(deps, ['transcribe']),
            ...(opts.limit ? { limit: opts.limit } : {}),
            ...(opts.budget ? { budgetMinutes: opts.budget } : {}),
          });
          return reportDrain(ctx, 'transcribe', summary);
        }

        const media = await registerFiles(db, files, ctx.config.jobs.maxAttempts);
        const mediaIds = media.map((m) => m.id);
        const summary = await runPipeline({
          db,
          config: ctx.config,
          log: ctx.log,
          signal: ctx.signal,
          steps: pipelineSteps(deps, ['probe', 'transcribe', 'captions']),
          mediaIds,
        });
        const reports = await mediaReport(db, mediaIds);
        ctx.setSummary({ ...summary, media: mediaIds });
        if (ctx.json) ctx.printJson({ summary, media: reports });
        else ctx.print(renderMediaReports(reports));
        return reports.some(hasFailure) ? ExitCode.workFailed : ExitCode.ok;
      }),
    );
}
