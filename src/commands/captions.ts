import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { ensureOutDir } from '../lib/cli/out-dir.js';
import { CAPTION_FORMATS, captionsFromTranscript, writeCaptionFiles, type CaptionFormat } from '../lib/captions/files.js';
import { decodeScc, describeCaption } from '../lib/captions/scc-decode.js';
import { readTranscriptFile } from '../lib/captions/transcript.js';
import { ExitCode, UsageError, errorMessage } from '../lib/errors.js';

interface CaptionsOptions {
  out: string;
  formats: string;
  maxRows: string;
  overwrite?: boolean;
}

export function command(runtime: CommandRuntime): Command {
  const captions = new Command('captions')
    .argument('<transcript>', 'transcript JSON from openai-whisper, whisper-ctranslate2 or whisper.cpp (-oj/-ojf)')
    .option('--out <dir>', 'directory to write <name>.scc/.srt/.vtt into', '.')
    .option('--formats <list>', `comma-separated formats: ${CAPTION_FORMATS.join(',')}`, CAPTION_FORMATS.join(','))
    .addOption(new Option('--max-rows <n>', 'rows per caption').choices(['1', '2', '3']).default('2'))
    .option('--overwrite', 'replace caption files that already exist')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist captions meeting.json --out /srv/captions\n' +
        '  $ archivist captions meeting.json --formats scc --max-rows 3\n' +
        '  $ archivist captions validate /srv/captions/meeting.scc\n',
    )
    .action(
      action(
        runtime,
        'captions',
        async (ctx, file: string, opts: CaptionsOptions) => {
          const formats = parseFormats(opts.formats);
          const transcript = await readTranscriptFile(resolve(ctx.cwd, file));
          const result = captionsFromTranscript(transcript, { maxRows: Number(opts.maxRows) as 1 | 2 | 3 });
          const outDir = await ensureOutDir(opts.out, ctx.cwd);
          const name = basename(file, extname(file));
          const written = await writeCaptionFiles({
            captions: result,
            outDir,
            name,
            formats,
            overwrite: opts.overwrite === true,
          });
          ctx.log.info({ file, captions: result.length, words: transcript.words.length }, 'captions written');
          if (ctx.json) ctx.printJson({ captions: result.length, files: written });
          else ctx.print(written.map((w) => `wrote ${w.path} (${result.length} captions)`).join('\n'));
          return ExitCode.ok;
        },
        { record: false },
      ),
    );
  captions.addCommand(validateCommand(runtime));
  return captions;
}

function validateCommand(runtime: CommandRuntime): Command {
  return new Command('validate')
    .description('play an SCC file back and list its captions and problems (exit 1 when there are problems)')
    .argument('<file>', 'SCC file')
    .addHelpText('after', '\nExample:\n  $ archivist captions validate "17601-1-Birchwood City Council (20220111).scc"\n')
    .action(
      action(
        runtime,
        'captions validate',
        async (ctx, file: string) => {
          let text: string;
          try {
            text = await readFile(resolve(ctx.cwd, file), 'utf8');
          } catch (error) {
            throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`, [], { cause: error });
          }
          const { captions, problems } = decodeScc(text);
          if (ctx.json) {
            ctx.printJson({ file, captions, problems });
          } else {
            for (const caption of captions) ctx.print(describeCaption(caption));
            for (const problem of problems) ctx.print(`${file}:${problem.line}: ${problem.message}`);
            ctx.print(`${captions.length} captions, ${problems.length} problems`);
          }
          return problems.length > 0 ? ExitCode.workFailed : ExitCode.ok;
        },
        { record: false },
      ),
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
