import { Command, Option } from 'commander';
import { z } from 'zod';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { parseMinutes, parsePositiveInt } from '../lib/cli/parse.js';
import { retranscodeStep, type RetranscodeChoices } from '../lib/pipeline/steps/retranscode-step.js';
import { RENDITION_MODES, type RenditionMode } from '../lib/renditions/modes.js';
import { ensureOutDir } from '../lib/cli/out-dir.js';
import type { StepResult } from '../lib/pipeline/media-report.js';
import { runStepCommand } from '../lib/cli/step-command.js';

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

export function command(runtime: CommandRuntime): Command {
  return new Command('retranscode')
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
      action(runtime, 'retranscode', async (ctx, items: string[], opts: RetranscodeOptions) => {
        const choices: RetranscodeChoices = {
          mode: opts.mode,
          outDir: opts.out === undefined ? undefined : await ensureOutDir(opts.out, ctx.cwd),
        };
        const step = retranscodeStep(ctx.pipeline(), choices);
        return runStepCommand(ctx, { step, items, limit: opts.limit, budget: opts.budget, verb: 'make renditions of', describe });
      }),
    );
}
