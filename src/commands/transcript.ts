import { Command, Option } from 'commander';
import { dirname, resolve } from 'node:path';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { ExitCode, UsageError } from '../lib/errors.js';
import { writeFileAtomic } from '../lib/fs/atomic.js';
import { pathExists } from '../lib/fs/path-exists.js';
import { writeOwnedFile } from '../lib/pipeline/artifacts.js';
import { captionedMediaIds } from '../lib/pipeline/captioned-media.js';
import { clerkTranscript } from '../lib/transcript/clerk-transcript.js';
import { TRANSCRIPT_FORMATS, renderTranscript, type TranscriptFormat } from '../lib/transcript/render-transcript.js';

interface TranscriptOptions {
  format: TranscriptFormat;
  out?: string;
  overwrite?: boolean;
}

export function command(runtime: CommandRuntime): Command {
  return new Command('transcript')
    .argument('<media>', 'a media id (see archivist status) or a recording already transcribed')
    .addOption(new Option('--format <format>', 'txt, md (Markdown) or json').choices(TRANSCRIPT_FORMATS).default('txt'))
    .option('--out <file>', 'write the transcript to this file instead of printing it')
    .option('--overwrite', 'with --out: replace a file Archivist did not write')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ archivist transcript 42\n' +
        '  $ archivist transcript "/mnt/flex-1/17601-1-Birchwood City Council (20220111).mp4" --format md --out council-2022-01-11.md\n' +
        "\nThe words are the captions' (hallucinations dropped, substitutions applied), a paragraph at\n" +
        'each pause with its [HH:MM:SS] stamp. --out replaces only a file it wrote itself, unless --overwrite.\n',
    )
    .action(
      action(
        runtime,
        'transcript',
        async (ctx, item: string, opts: TranscriptOptions) => {
          const db = await ctx.db();
          const [mediaId] = await captionedMediaIds(db, [item], 'make a transcript of', ctx.cwd);
          if (mediaId === undefined) throw new UsageError(`${item}: no such recording`);
          const { header, paragraphs } = await clerkTranscript(db, mediaId, ctx.config);
          const text = renderTranscript(header, paragraphs, opts.format);
          if (opts.out === undefined) {
            ctx.print(text.trimEnd());
            return ExitCode.ok;
          }
          const path = resolve(ctx.cwd, opts.out);
          if (!(await pathExists(dirname(path)))) throw new UsageError(`--out: the directory ${dirname(path)} does not exist`);
          if (opts.overwrite === true) await writeFileAtomic(path, text);
          else {
            const written = await writeOwnedFile(db, { mediaId, kind: 'transcript', path, content: text });
            if (!written.written) throw new UsageError(`--out: not replacing ${path}: ${written.reason} (--overwrite replaces it)`);
          }
          if (ctx.json) ctx.printJson({ mediaId, path, paragraphs: paragraphs.length });
          else ctx.print(`wrote ${path} (${paragraphs.length} paragraphs)`);
          return ExitCode.ok;
        },
        { record: false },
      ),
    );
}
