import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { ensureOutDir } from '../lib/cli/out-dir.js';
import { CAPTION_FORMATS, buildCaptions, writeCaptionFiles, type CaptionFormat } from '../lib/captions/files.js';
import { sccFigures, type SccFigures } from '../lib/captions/quality.js';
import { decodeScc, describeCaption } from '../lib/captions/scc-decode.js';
import { readTranscriptFile } from '../lib/captions/transcript.js';
import { ExitCode, UsageError, errorMessage } from '../lib/errors.js';
import { importEdit } from '../lib/edits/import-edit.js';
import { captionOptions, uncarriedWarning } from '../lib/pipeline/caption-build.js';
import { captionedMediaIds } from '../lib/pipeline/captioned-media.js';

interface CaptionsOptions {
  out: string;
  formats: string;
  maxRows?: string;
  overwrite?: boolean;
}

export function command(runtime: CommandRuntime): Command {
  const captions = new Command('captions')
    .argument('<transcript>', 'transcript JSON from openai-whisper, whisper-ctranslate2 or whisper.cpp (-oj/-ojf)')
    .option('--out <dir>', 'directory to write <name>.scc/.srt/.vtt into', '.')
    .option('--formats <list>', `comma-separated formats: ${CAPTION_FORMATS.join(',')}`, CAPTION_FORMATS.join(','))
    .addOption(new Option('--max-rows <n>', 'rows per caption (default: captions.maxRows)').choices(['1', '2', '3']))
    .option('--overwrite', 'replace caption files that already exist')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist captions meeting.json --out /srv/captions\n' +
        '  $ archivist captions meeting.json --formats scc --max-rows 3\n' +
        '  $ archivist captions validate /srv/captions/meeting.scc\n' +
        '  $ archivist --json captions meeting.json | jq .quality\n' +
        '\nThe captions settings apply (hallucinations, substitutions, profanity). A word timed past\n' +
        '24 hours is an error (exit 2) and no file is written; so is a transcript with no speech.\n',
    )
    .action(
      action(
        runtime,
        'captions',
        async (ctx, file: string, opts: CaptionsOptions) => {
          const formats = parseFormats(opts.formats);
          const transcript = await readTranscriptFile(resolve(ctx.cwd, file));
          const settings = ctx.config.captions;
          const maxRows = opts.maxRows === undefined ? settings.maxRows : (Number(opts.maxRows) as 1 | 2 | 3);
          const built = buildCaptions(transcript, captionOptions({ ...settings, maxRows }, { source: file }));
          const outDir = await ensureOutDir(opts.out, ctx.cwd);
          const name = basename(file, extname(file));
          const written = await writeCaptionFiles({
            captions: built.captions,
            outDir,
            name,
            formats,
            overwrite: opts.overwrite === true,
          });
          const warning = uncarriedWarning(built);
          if (warning) ctx.warn(`${file}: ${warning}`);
          ctx.log.info(
            { file, captions: built.captions.length, words: transcript.words.length, dropped: built.dropped.length },
            'captions written',
          );
          if (ctx.json) {
            ctx.printJson({
              captions: built.captions.length,
              files: written,
              quality: built.quality,
              dropped: built.dropped,
              substitutions: built.substitutions,
              masked: built.masked,
            });
          } else {
            ctx.print(written.map((w) => `wrote ${w.path} (${built.captions.length} captions)`).join('\n'));
            if (built.dropped.length > 0) ctx.print(`left out ${built.dropped.length} hallucinated segment(s): --json lists them`);
          }
          return ExitCode.ok;
        },
        { record: false },
      ),
    );
  captions.addCommand(validateCommand(runtime));
  captions.addCommand(importCommand(runtime));
  return captions;
}

function validateCommand(runtime: CommandRuntime): Command {
  return new Command('validate')
    .description('play an SCC file back and list its captions and problems (exit 1 when there are problems)')
    .argument('<file>', 'SCC file')
    .option('--stats', 'print the quality figures the file shows instead of its captions')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist captions validate "17601-1-Birchwood City Council (20220111).scc"\n' +
        '  $ archivist captions validate --stats meeting.scc\n',
    )
    .action(
      action(
        runtime,
        'captions validate',
        async (ctx, file: string, opts: { stats?: boolean }) => {
          let text: string;
          try {
            text = await readFile(resolve(ctx.cwd, file), 'utf8');
          } catch (error) {
            throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`, [], { cause: error });
          }
          const { captions, problems } = decodeScc(text);
          const stats = opts.stats === true ? sccFigures(captions) : undefined;
          if (ctx.json) {
            ctx.printJson(stats ? { file, stats, problems } : { file, captions, problems });
          } else {
            if (stats) ctx.print(describeFigures(stats));
            else for (const caption of captions) ctx.print(describeCaption(caption));
            for (const problem of problems) ctx.print(`${file}:${problem.line}: ${problem.message}`);
            ctx.print(`${captions.length} captions, ${problems.length} problems`);
          }
          return problems.length > 0 ? ExitCode.workFailed : ExitCode.ok;
        },
        { record: false },
      ),
    );
}

function importCommand(runtime: CommandRuntime): Command {
  return new Command('import')
    .description("replace a recording's caption files with captions a person edited; nothing Archivist runs later replaces them")
    .argument('<media>', 'a media id (see archivist status) or a recording already transcribed')
    .argument('<edited>', 'the edited captions: .srt, .vtt or .scc')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist captions import 42 "council 2026-11-03 corrected.srt"\n' +
        '  $ archivist captions import "/mnt/flex-1/17601-1-Birchwood City Council (20220111).mp4" edited.scc\n' +
        '\nThe sidecar and the other caption files Archivist wrote are replaced (SCC made from SRT or\n' +
        'WebVTT with our encoder, and checked by our decoder); search finds the edited words. The\n' +
        'nightly run and transcribe --force keep the edit; --discard-edits on either replaces it.\n',
    )
    .action(
      action(runtime, 'captions import', async (ctx, item: string, edited: string) => {
        const db = await ctx.db();
        const [mediaId] = await captionedMediaIds(db, [item], 'import captions for', ctx.cwd);
        const media = await db
          .selectFrom('media')
          .selectAll()
          .where('id', '=', mediaId ?? -1)
          .executeTakeFirst();
        if (!media) throw new UsageError(`${item}: no such recording`);
        const result = await importEdit(db, ctx.config, media, resolve(ctx.cwd, edited));
        for (const file of result.files) if (!file.written) ctx.warn(`left ${file.path} alone: ${file.reason}`);
        if (ctx.json) ctx.printJson(result);
        else {
          for (const file of result.files) if (file.written) ctx.print(`wrote ${file.path} (${result.captions} captions)`);
          ctx.print(`media ${media.id} is marked as edited by hand: the nightly run and transcribe --force keep these captions`);
        }
        return ExitCode.ok;
      }),
    );
}

function parseFormats(list: string): CaptionFormat[] {
  const names = list
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== '');
  const unknown = names.filter((f) => !(CAPTION_FORMATS as readonly string[]).includes(f));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(`--formats: expected some of ${CAPTION_FORMATS.join(',')}, got "${list}"`);
  }
  return names as CaptionFormat[];
}

function describeFigures(stats: SccFigures): string {
  const share = (n: number): string => (stats.captions > 0 ? ` (${((n * 100) / stats.captions).toFixed(1)}%)` : '');
  return [
    `captions            ${stats.captions}`,
    `words shown         ${stats.words}`,
    `words a minute      ${stats.wordsPerMinute}`,
    `under 1.5 s         ${stats.captionsUnder1_5s}${share(stats.captionsUnder1_5s)}`,
    `over 200 a minute   ${stats.captionsOver200Wpm}${share(stats.captionsOver200Wpm)}`,
    `bracketed notes     ${stats.notes} (rows of text SCC could not carry)`,
    '(low-probability words and dropped segments are known from the transcript: archivist --json captions <transcript.json>)',
  ].join('\n');
}
