import type { Config } from '../config/schema.js';
import type { Db } from '../db/schema.js';
import { captionsForMedia } from '../pipeline/caption-build.js';
import { loadTranscript } from '../pipeline/transcripts.js';
import { UsageError } from '../errors.js';
import { findEdit } from '../edits/caption-edits.js';
import { cueWords } from '../edits/fit-cues.js';
import { paragraphs, type Paragraph } from './paragraphs.js';
import type { TranscriptHeader } from './render-transcript.js';

/**
 * A recording's transcript as a clerk files it: the words its captions carry (the captions
 * build: times checked, hallucinations dropped, substitutions and masking applied), in
 * paragraphs at pauses, and what the header says about the recording. Captions a person
 * edited and imported are the words, when there are any.
 */
export async function clerkTranscript(
  db: Db,
  mediaId: number,
  config: Pick<Config, 'captions' | 'sites'>,
): Promise<{ header: TranscriptHeader; paragraphs: Paragraph[] }> {
  const media = await db.selectFrom('media').selectAll().where('id', '=', mediaId).executeTakeFirst();
  if (!media) throw new UsageError(`no media with id ${mediaId} (see archivist status)`);
  const stored = await loadTranscript(db, media.id);
  if (!stored) throw new UsageError(`${media.path} has no transcript yet; run \`archivist transcribe\` on it first`);
  const source = await db.selectFrom('transcripts').select(['engine', 'model']).where('id', '=', stored.id).executeTakeFirstOrThrow();
  const edit = await findEdit(db, media.id);
  const words = edit ? cueWords(edit.captions) : captionsForMedia(stored, media, config.captions).words;
  const site = config.sites.find((s) => s.key === media.site);
  const header: TranscriptHeader = {
    title: media.title ?? media.path.split('/').at(-1) ?? media.path,
    date: media.event_date ?? media.mtime?.toISOString().slice(0, 10) ?? null,
    site: site ? `${site.name} (${site.key})` : media.site,
    path: media.path,
    engine: source.engine,
    model: source.model,
    editedFrom: edit?.source,
  };
  return { header, paragraphs: paragraphs(words) };
}
