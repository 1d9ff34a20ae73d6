import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseCueFile } from '../captions/cue-parse.js';
import { formatCaptions } from '../captions/files.js';
import { decodeScc } from '../captions/scc-decode.js';
import { encodeScc } from '../captions/scc-encode.js';
import type { Caption } from '../captions/segment.js';
import type { Config } from '../config/schema.js';
import type { Db, Media } from '../db/schema.js';
import { UsageError, errorMessage } from '../errors.js';
import type { OwnedWrite } from '../pipeline/artifacts.js';
import { captionTargets, placeCaptionFiles } from '../pipeline/caption-targets.js';
import { sccProblem } from '../pipeline/check-scc.js';
import { savePassages } from '../search/passages.js';
import { saveEdit } from './caption-edits.js';
import { cueWords, fitCues } from './fit-cues.js';

export interface ImportedEdit {
  mediaId: number;
  captions: number;
  files: (OwnedWrite & { format: string })[];
}

const SHOWN_PROBLEMS = 10;

/** The edited captions of a file, and the SCC to place: the file itself when it is SCC, else ours encoded from its cues. */
function readEdited(file: string, text: string, maxRows: number): { cues: Caption[]; scc: string } {
  const format = extname(file).slice(1).toLowerCase();
  if (format === 'scc') {
    const decoded = decodeScc(text);
    const problems = decoded.problems.map((p) => `${file}:${p.line}: ${p.message}`);
    if (problems.length > 0) throw new UsageError(`${file} is not a sound SCC file`, problems.slice(0, SHOWN_PROBLEMS));
    return { cues: decoded.captions.map(({ start, end, lines }) => ({ start, end, lines })), scc: text };
  }
  if (format !== 'srt' && format !== 'vtt') throw new UsageError(`${file}: expected an .srt, .vtt or .scc file`);
  const parsed = parseCueFile(text, format);
  const problems = parsed.problems.map((p) => `${file}:${p.line}: ${p.message}`);
  if (problems.length > 0) throw new UsageError(`${file} cannot be read as ${format.toUpperCase()}`, problems.slice(0, SHOWN_PROBLEMS));
  try {
    return { cues: parsed.captions, scc: encodeScc(fitCues(parsed.captions, maxRows)) };
  } catch (error) {
    throw new UsageError(`${file}: cannot be encoded as SCC: ${errorMessage(error)}`, [], { cause: error });
  }
}

/**
 * Makes a person's corrected captions the recording's own: every caption file Archivist
 * wrote for it (the sidecar and the configured formats) is replaced with them (SCC played back
 * by our decoder first, and refused with its reason, like any SCC we place), the edit is kept
 * (so nothing later replaces it), and the searchable text becomes the edited words. Nothing is
 * written when the file cannot be read or its SCC is not sound.
 */
export async function importEdit(
  db: Db,
  config: Pick<Config, 'captions' | 'paths' | 'sites'>,
  media: Media,
  file: string,
): Promise<ImportedEdit> {
  let text: string;
  try {
    text = await readFile(file, extname(file).toLowerCase() === '.scc' ? 'latin1' : 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`, [], { cause: error });
  }
  const { cues, scc } = readEdited(file, text, config.captions.maxRows);
  const problem = sccProblem(scc, media.duration_sec);
  if (problem !== undefined) throw new UsageError(`${file} does not fit ${media.path}: ${problem}`);
  const transcript = await db.selectFrom('transcripts').select('id').where('media_id', '=', media.id).executeTakeFirstOrThrow();
  await saveEdit(db, media.id, basename(file), cues);
  await savePassages(db, transcript.id, media.id, cueWords(cues));
  const files = await placeCaptionFiles(db, media, captionTargets(config, media, undefined), (format) =>
    format === 'scc' ? scc : formatCaptions(cues, format),
  );
  return { mediaId: media.id, captions: cues.length, files };
}
