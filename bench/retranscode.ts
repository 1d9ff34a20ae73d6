/**
 * Wall time of `makeRendition` (ffmpeg, the checks, hashing, placing) for each mode on the
 * same 10-minute recording: the stream-copy modes (`mov-608`, `mp4-text`) against `burn`,
 * the baseline measured in the same run, which re-encodes every frame (libx264 at the
 * configured defaults, crf 20, preset veryfast). The recording (testsrc2 picture, a tone,
 * H.264/AAC at 29.97 fps) and 1,500 spoken words of captions are made in a temp dir and
 * deleted afterwards.
 *
 *   npx tsx bench/retranscode.ts [WIDTHxHEIGHT]     (default 1280x720)
 */
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { captionsFromTranscript } from '../src/lib/captions/files.js';
import { openDatabase } from '../src/lib/db/connect.js';
import { makeRendition } from '../src/lib/renditions/make-rendition.js';
import { RENDITION_MODES, type RenditionMode } from '../src/lib/renditions/modes.js';
import { syntheticSpeech } from '../test/support/transcripts/generate.js';

const DURATION_SEC = 600;
const size = process.argv[2] ?? '1280x720';

async function main(): Promise<void> {
  if (!/^\d+x\d+$/.test(size)) throw new Error(`size must look like 1280x720, got ${size}`);
  const dir = await mkdtemp(join(tmpdir(), 'archivist-bench-retranscode-'));
  const handle = await openDatabase({ stateDir: join(dir, 'state'), embeddedLockWaitSeconds: 10 });
  try {
    const video = join(dir, 'Council (20240111).mp4');
    process.stdout.write(`making a ${DURATION_SEC / 60}-minute ${size} recording... `);
    await execa('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${size}:rate=30000/1001:duration=${DURATION_SEC}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=48000:duration=${DURATION_SEC}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      video,
    ]);
    console.log('done');
    const words = syntheticSpeech(1500, 3).filter((w) => w.end < DURATION_SEC - 2);
    const captions = captionsFromTranscript({ text: '', words, segments: [] });
    const media = await handle.db
      .insertInto('media')
      .values({ site: 'bench', path: video, source: 'file' })
      .returning('id')
      .executeTakeFirstOrThrow();

    const seconds: Record<RenditionMode, number> = { 'mov-608': Number.NaN, 'mp4-text': Number.NaN, burn: Number.NaN };
    for (const mode of RENDITION_MODES) {
      const started = performance.now();
      await makeRendition({
        db: handle.db,
        mediaId: media.id,
        mediaPath: video,
        captions,
        mode,
        outDir: join(dir, 'out'),
        workRoot: join(dir, 'work'),
        crf: 20,
        preset: 'veryfast',
        log: pino({ level: 'silent' }),
      });
      seconds[mode] = (performance.now() - started) / 1000;
      console.log(`${mode.padEnd(9)} ${seconds[mode].toFixed(1).padStart(7)} s  (${(DURATION_SEC / seconds[mode]).toFixed(1)}x real time)`);
    }
    console.log(`${captions.length} captions on a ${DURATION_SEC / 60}-minute ${size} recording`);
    for (const mode of ['mov-608', 'mp4-text'] as const) {
      console.log(`${mode} is ${(seconds.burn / seconds[mode]).toFixed(1)}x faster than burn`);
    }
  } finally {
    await handle.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
