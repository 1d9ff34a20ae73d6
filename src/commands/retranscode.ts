import { Command, Option } from 'commander';
import { z } from 'zod';
import { action } from '../lib/cli/action.js';
import { parseMinutes, parsePositiveInt } from '../lib/cli/parse.js';
import { UsageError } from '../lib/errors.js';
import { retranscodeStep, type RetranscodeChoices } from '../lib/pipeline/steps/retranscode-step.js';
import { resolveEngine } from '../lib/pipeline/resolve-engine.js';
import { captionedMediaIds } from '../lib/pipeline/captioned-media.js';
import { RENDITION_MODES, type RenditionMode } from '../lib/renditions/modes.js';
import { runPipeline } from '../lib/pipeline/run-pipeline.js';
import { reportDrain } from '../lib/cli/drain-report.js';
import { ensureOutDir } from '../lib/cli/out-dir.js';
import { runStepOnMedia } from '../lib/cli/run-step-on-media.js';
import type { StepResult } from '../lib/pipeline/media-report.js';

interface RetranscodeOptions {
  mode?: RenditionMode;
  out?: string;
  limit?: number;
  budget?: number;
}

const renditionOutput = z.object({
  rendition: z.object({ path: z.string(), mode: z.string(), size: z.number() }).nullable(),
  reason: z.string().optional(),
});

function describe(result: StepResult): string {
  if (result.state !== 'succeeded') return `${result.path}: ${result.state}${result.error ? `: ${result.error}` : ''}`;
  const output = renditionOutput.safeParse(result.output);
  if (!output.success) return `${result.path}: done`;
  const { rendition, reason } = output.data;
  return rendition
    ? `${result.path} -> ${rendition.path} (${rendition.mode}, ${rendition.size} bytes)`
    : `${result.path}: no rendition (${reason ?? 'no captions'})`;
}

export function retranscodeCommand(): Command {
  return new Command('retranscode')
    .description('make captioned renditions of recordings from their captions, or drain queued retranscode jobs')
    .argument('[items...]', 'media ids or transcribed recording files; without any, queued retranscode jobs are run')
    .addOption(
      new Option(
        '--mode <mode>',
        'mov-608: CEA-608 track in MOV; mp4-text: mov_text subtitles in MP4; burn: drawn into the picture (default: retranscode.mode)',
      ).choices(RENDITION_MODES),
    )
    .option('--out <dir>', 'where renditions go (default: paths.output/<site>)')
    .option('--limit <n>', 'without items: run at most this many jobs', parsePositiveInt)
    .option('--budget <minutes>', 'without items: stop taking new jobs after this long', parseMinutes)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist retranscode "/mnt/flex-1/17601-1-Birchwood City Council (20220111).mp4"\n' +
        '  $ archivist retranscode 42 --mode burn --out /srv/renditions\n' +
        '  $ archivist retranscode --limit 5    # drain queued retranscode jobs\n',
    )
    .action(
      action('retranscode', async (ctx, items: string[], opts: RetranscodeOptions) => {
        if (items.length > 0 && (opts.limit !== undefined || opts.budget !== undefined)) {
          throw new UsageError('--limit and --budget apply when draining queued jobs (no items given)');
        }
        const choices: RetranscodeChoices = { ...(opts.mode ? { mode: opts.mode } : {}) };
        if (opts.out) choices.outDir = await ensureOutDir(opts.out);
        const db = await ctx.db();
        const deps = { config: ctx.config, engine: resolveEngine(ctx.config.engine), log: ctx.log };
        const step = retranscodeStep(deps, choices);

        if (items.length === 0) {
          const summary = await runPipeline({
            db,
            config: ctx.config,
            log: ctx.log,
            signal: ctx.signal,
            steps: [step],
            ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
            ...(opts.budget !== undefined ? { budgetMinutes: opts.budget } : {}),
          });
          return reportDrain(ctx, 'retranscode', summary);
        }

        const mediaIds = await captionedMediaIds(db, items, 'make renditions of');
        return runStepOnMedia(ctx, db, step, mediaIds, describe);
      }),
    );
}
