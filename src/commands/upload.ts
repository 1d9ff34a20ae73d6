import { Command, Option } from 'commander';
import { z } from 'zod';
import { action } from '../lib/cli/action.js';
import { parseMinutes, parsePositiveInt } from '../lib/cli/parse.js';
import { UsageError } from '../lib/errors.js';
import { resolveEngine } from '../lib/pipeline/resolve-engine.js';
import { uploadStep, type UploadChoices } from '../lib/pipeline/steps/upload-step.js';
import { captionedMediaIds } from '../lib/pipeline/captioned-media.js';
import { runPipeline } from '../lib/pipeline/run-pipeline.js';
import { reportDrain } from '../lib/cli/drain-report.js';
import { runStepOnMedia } from '../lib/cli/run-step-on-media.js';
import type { StepResult } from '../lib/pipeline/media-report.js';
import { UPLOAD_WHATS, parseUploadState, type UploadWhat } from '../lib/upload/upload-state.js';

interface UploadOptions {
  what?: UploadWhat;
  store?: number;
  limit?: number;
  budget?: number;
}

const skippedOutput = z.object({ skipped: z.string() });

function describe(result: StepResult): string {
  if (result.state !== 'succeeded') return `${result.path}: ${result.state}${result.error ? `: ${result.error}` : ''}`;
  const state = parseUploadState(result.output);
  if (state)
    return `${result.path}: uploaded ${state.fileName} to file store ${state.store} (upload ${state.uploadId}, asset ${state.assetId ?? 'not reported'})`;
  const skipped = skippedOutput.safeParse(result.output);
  return `${result.path}: not uploaded${skipped.success ? `: ${skipped.data.skipped}` : ''}`;
}

export function uploadCommand(): Command {
  return new Command('upload')
    .description("upload captions (the SCC sidecar, or the captioned rendition) to Cablecast's file store, or drain queued upload jobs")
    .argument('[items...]', 'media ids or transcribed recording files; without any, queued upload jobs are run')
    .addOption(
      new Option(
        '--what <what>',
        "sidecar: the .scc under the video's base name; rendition: the captioned rendition (default: upload.what)",
      ).choices(UPLOAD_WHATS),
    )
    .option('--store <id>', "Cablecast file store id (default: upload.store, else the store of the show's video)", parsePositiveInt)
    .option('--limit <n>', 'without items: run at most this many jobs', parsePositiveInt)
    .option('--budget <minutes>', 'without items: stop taking new jobs after this long', parseMinutes)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist upload "/mnt/flex-1/17601-1-Birchwood City Council (20220111).mp4" --store 1\n' +
        '  $ archivist upload 42 --what rendition\n' +
        '  $ archivist upload --budget 60    # drain queued upload jobs\n',
    )
    .action(
      action('upload', async (ctx, items: string[], opts: UploadOptions) => {
        if (!ctx.config.cablecast) throw new UsageError('uploads need Cablecast', ['set cablecast.url in the config (or CABLECAST_URL)']);
        if (items.length > 0 && (opts.limit !== undefined || opts.budget !== undefined)) {
          throw new UsageError('--limit and --budget apply when draining queued jobs (no items given)');
        }
        const choices: UploadChoices = {
          ...(opts.what ? { what: opts.what } : {}),
          ...(opts.store !== undefined ? { store: opts.store } : {}),
        };
        const db = await ctx.db();
        const step = uploadStep({ config: ctx.config, engine: resolveEngine(ctx.config.engine), log: ctx.log }, choices);

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
          return reportDrain(ctx, 'upload', summary);
        }

        const mediaIds = await captionedMediaIds(db, items, 'upload captions of');
        return runStepOnMedia(ctx, db, step, mediaIds, describe);
      }),
    );
}
