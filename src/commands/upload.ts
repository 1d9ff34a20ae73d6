import { Command, Option } from 'commander';
import { z } from 'zod';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { parseMinutes, parsePositiveInt } from '../lib/cli/parse.js';
import { uploadStep } from '../lib/pipeline/steps/upload-step.js';
import type { StepResult } from '../lib/pipeline/media-report.js';
import { UPLOAD_WHATS, parseUploadState, type UploadWhat } from '../lib/upload/upload-state.js';
import { runStepCommand } from '../lib/cli/step-command.js';

interface UploadOptions {
  what?: UploadWhat;
  store?: number;
  limit?: number;
  budget?: number;
}

const skippedOutput = z.object({ skipped: z.string() });
const repeatOutput = z.object({ alreadyUploaded: z.literal(true) });

function describe(result: StepResult): string {
  if (result.state !== 'succeeded') return `${result.path}: ${result.state}${result.error ? `: ${result.error}` : ''}`;
  const state = parseUploadState(result.output);
  if (state) {
    const where = `${state.fileName} to file store ${state.store} (upload ${state.uploadId}, asset ${state.assetId ?? 'not reported'})`;
    return repeatOutput.safeParse(result.output).success
      ? `${result.path}: already uploaded ${where}; not sent again`
      : `${result.path}: uploaded ${where}`;
  }
  const skipped = skippedOutput.safeParse(result.output);
  return `${result.path}: not uploaded${skipped.success ? `: ${skipped.data.skipped}` : ''}`;
}

export function command(runtime: CommandRuntime): Command {
  return new Command('upload')
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
      action(runtime, 'upload', async (ctx, items: string[], opts: UploadOptions) => {
        const step = uploadStep(ctx.pipeline(), { what: opts.what, store: opts.store });
        return runStepCommand(ctx, { step, items, limit: opts.limit, budget: opts.budget, verb: 'upload captions of', describe });
      }),
    );
}
