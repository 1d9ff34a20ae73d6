import { stat } from 'node:fs/promises';
import { execa } from 'execa';
import type { Kysely } from 'kysely';
import type { TranscriptWord } from '../../src/lib/captions/transcript.js';
import type { Database, MediaSource } from '../../src/lib/db/schema.js';
import { fingerprint, saveTranscript } from '../../src/lib/pipeline/transcripts.js';

export const SPOKEN = 'Good evening and welcome to the Birchwood city council meeting. The first item tonight is the budget for next year.';

/** Words spread over the speech the way an engine would time them. */
export function wordsOf(text: string, start = 0.3, step = 0.32): TranscriptWord[] {
  return text.split(' ').map((word, i) => ({ text: word, start: start + i * step, end: start + i * step + step * 0.8 }));
}

/** A media row with a stored transcript, as if probe and transcribe had run. */
export async function seedTranscribedMedia(
  db: Kysely<Database>,
  path: string,
  options: { site?: string; source?: MediaSource; words?: TranscriptWord[]; fileShowId?: number } = {},
): Promise<number> {
  const info = await stat(path);
  const media = await db
    .insertInto('media')
    .values({
      site: options.site ?? 'files',
      path,
      source: options.source ?? 'file',
      size: info.size,
      mtime: info.mtime,
      title: 'Council',
      file_show_id: options.fileShowId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const words = options.words ?? wordsOf(SPOKEN);
  await saveTranscript(
    db,
    media.id,
    { text: words.map((w) => w.text).join(' '), words, segments: [], language: 'en' },
    {
      engine: 'whisper-cpp',
      model: 'test',
      fingerprint: fingerprint(media),
    },
  );
  return media.id;
}

/** The MD5 of a file's first video stream's packets: equal means the picture was copied, not re-encoded. */
export async function videoPacketsMd5(path: string): Promise<string> {
  const { stdout } = await execa('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-i',
    `file:${path}`,
    '-map',
    '0:v:0',
    '-c',
    'copy',
    '-f',
    'md5',
    '-',
  ]);
  return stdout.trim();
}

/** One frame as 8-bit gray pixels. */
export async function grayFrame(path: string, atSec: number, width: number, height: number): Promise<Buffer> {
  const { stdout } = await execa(
    'ffmpeg',
    [
      '-nostdin',
      '-v',
      'error',
      '-ss',
      String(atSec),
      '-i',
      `file:${path}`,
      '-frames:v',
      '1',
      '-vf',
      `scale=${width}:${height}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      '-',
    ],
    { encoding: 'buffer' },
  );
  return Buffer.from(stdout);
}

/** Mean absolute difference of two gray frames over rows [from, to). */
export function meanDifference(a: Buffer, b: Buffer, width: number, fromRow: number, toRow: number): number {
  let sum = 0;
  for (let i = fromRow * width; i < toRow * width; i += 1) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / ((toRow - fromRow) * width);
}
