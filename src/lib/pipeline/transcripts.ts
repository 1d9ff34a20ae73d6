import { z } from 'zod';
import { DROP_REASONS, type DroppedSegment } from '../captions/hallucinations.js';
import type { CaptionQuality } from '../captions/quality.js';
import type { Transcript, TranscriptRepairs, TranscriptSegment, TranscriptWord } from '../captions/transcript.js';
import type { Db, Media } from '../db/schema.js';

/** What identifies the content we transcribed: a file replaced in place gets a new transcript. */
export function fingerprint(media: Pick<Media, 'size' | 'mtime' | 'sha256'>): string {
  return media.sha256 ?? `${media.size ?? '?'}:${media.mtime?.toISOString() ?? '?'}`;
}

/*
 * Stored form (migration 0003). A three-hour meeting has some 30,000 words, so each is a
 * tuple, not an object with its keys repeated: [text, start, end, segment, probability?],
 * times rounded to the millisecond and probabilities to 0.001 (Whisper's times step by 10 or
 * 20 ms). A segment is [start, end, text, noSpeechProb, avgLogprob, compressionRatio,
 * temperature] with missing scores null and trailing nulls left off (whisper.cpp writes none).
 */
const storedWord = z.tuple([z.string(), z.number(), z.number(), z.number().int().min(0).nullable(), z.number().optional()]);
const score = z.number().nullable().optional();
const storedSegment = z.tuple([z.number(), z.number(), z.string(), score, score, score, score]);
const storedRepairs = z.strictObject({ reorderedSegments: z.number().int().min(0), overlapWords: z.number().int().min(0) });

type StoredWord = z.infer<typeof storedWord>;
type StoredSegment = z.infer<typeof storedSegment>;

function roundTo(value: number, places: number): number {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
}

export function packWord(word: TranscriptWord): StoredWord {
  const packed: StoredWord = [word.text, roundTo(word.start, 3), roundTo(word.end, 3), word.segment ?? null];
  if (word.probability !== undefined) packed.push(roundTo(word.probability, 3));
  return packed;
}

function unpackWord([text, start, end, segment, probability]: StoredWord): TranscriptWord {
  const word: TranscriptWord = { text, start, end };
  if (probability !== undefined) word.probability = probability;
  if (segment !== null) word.segment = segment;
  return word;
}

export function packSegment(segment: TranscriptSegment): StoredSegment {
  const scores = [segment.noSpeechProb, segment.avgLogprob, segment.compressionRatio, segment.temperature].map((value) =>
    value === undefined ? null : roundTo(value, 4),
  );
  while (scores.at(-1) === null) scores.pop();
  return [roundTo(segment.start, 3), roundTo(segment.end, 3), segment.text, ...scores] as StoredSegment;
}

function unpackSegment([start, end, text, noSpeechProb, avgLogprob, compressionRatio, temperature]: StoredSegment): TranscriptSegment {
  const segment: TranscriptSegment = { start, end, text };
  if (typeof noSpeechProb === 'number') segment.noSpeechProb = noSpeechProb;
  if (typeof avgLogprob === 'number') segment.avgLogprob = avgLogprob;
  if (typeof compressionRatio === 'number') segment.compressionRatio = compressionRatio;
  if (typeof temperature === 'number') segment.temperature = temperature;
  return segment;
}

/**
 * Saves (or replaces) the media's transcript. A new transcript has no captions report yet:
 * the captions step makes it.
 */
export async function saveTranscript(
  db: Db,
  mediaId: number,
  transcript: Transcript,
  source: { engine: string; model: string; fingerprint: string },
): Promise<number> {
  const row = {
    media_id: mediaId,
    engine: source.engine,
    model: source.model,
    language: transcript.language ?? null,
    text: transcript.text,
    words: JSON.stringify(transcript.words.map(packWord)),
    segments: JSON.stringify(transcript.segments.map(packSegment)),
    repairs: transcript.repairs ? JSON.stringify(transcript.repairs) : null,
    source_fingerprint: source.fingerprint,
    no_speech: null,
    dropped: null,
    quality: null,
  };
  const saved = await db
    .insertInto('transcripts')
    .values(row)
    .onConflict((oc) => oc.column('media_id').doUpdateSet({ ...row, created_at: new Date() }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return saved.id;
}

export async function loadTranscript(
  db: Db,
  mediaId: number,
): Promise<{ id: number; transcript: Transcript; fingerprint: string | null } | undefined> {
  const row = await db
    .selectFrom('transcripts')
    .select(['id', 'text', 'words', 'segments', 'repairs', 'language', 'source_fingerprint'])
    .where('media_id', '=', mediaId)
    .executeTakeFirst();
  if (!row) return undefined;
  const where = `transcript ${row.id}`;
  const transcript: Transcript = {
    text: row.text,
    words: parseStored(z.array(storedWord), row.words, `${where} words`).map(unpackWord),
    segments: parseStored(z.array(storedSegment), row.segments, `${where} segments`).map(unpackSegment),
  };
  if (row.repairs !== null) transcript.repairs = parseStored(storedRepairs, row.repairs, `${where} repairs`) satisfies TranscriptRepairs;
  if (row.language) transcript.language = row.language;
  return { id: row.id, fingerprint: row.source_fingerprint, transcript };
}

const dropReason = z.enum(DROP_REASONS as [DroppedSegment['reason'], ...DroppedSegment['reason'][]]);

export const storedQuality = z.strictObject({
  words: z.number().int().min(0),
  captions: z.number().int().min(0),
  wordsPerMinute: z.number().min(0),
  captionsUnder1_5s: z.number().int().min(0),
  captionsOver200Wpm: z.number().int().min(0),
  lowProbabilityShare: z.number().min(0).max(1).nullable(),
  droppedSegments: z.record(dropReason, z.number().int().min(0)),
  sccUncarried: z.number().int().min(0),
  sccNotes: z.number().int().min(0),
  reorderedSegments: z.number().int().min(0),
  overlapWords: z.number().int().min(0),
}) satisfies z.ZodType<CaptionQuality>;

/** What the captions step found making captions from a transcript: kept for status and reports. */
export interface CaptionReport {
  noSpeech: boolean;
  dropped: DroppedSegment[];
  quality: CaptionQuality;
}

export async function saveCaptionReport(db: Db, transcriptId: number, report: CaptionReport): Promise<void> {
  await db
    .updateTable('transcripts')
    .set({ no_speech: report.noSpeech, dropped: JSON.stringify(report.dropped), quality: JSON.stringify(report.quality) })
    .where('id', '=', transcriptId)
    .execute();
}

/** Stored JSON that does not fit its schema is a bug or a hand edit: say where, not just "invalid". */
export function parseStored<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(
    `${where} in the database is not as stored: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'invalid'}`,
  );
}
