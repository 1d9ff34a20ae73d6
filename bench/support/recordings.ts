import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

/**
 * Three copies of an `hours`-long mono AAC recording in `<work>/media`, and a stub model file:
 * the batch bench/memory.ts and bench/overhead.ts transcribe. The audio is a tone in 8.5 s
 * stretches with 1.5 s pauses: the stub engine hears speech in each stretch, and no silence is
 * long enough to be skipped.
 */
export async function councilBatch(work: string, hours: number): Promise<{ files: string[]; model: string }> {
  const media = join(work, 'media');
  await mkdir(media);
  const first = join(media, 'council-1.mp4');
  await execa('ffmpeg', [
    ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
    ...['-i', `aevalsrc='0.3*sin(2*PI*220*t)*gt(mod(t\\,10)\\,1.5)':s=16000:d=${String(hours * 3600)}`],
    ...['-c:a', 'aac', '-b:a', '32k', '-ac', '1', first],
  ]);
  const files = [first, join(media, 'council-2.mp4'), join(media, 'council-3.mp4')];
  for (const copy of files.slice(1)) await execa('cp', [first, copy]);
  const model = join(work, 'ggml-base.en.bin');
  await writeFile(model, 'stub model');
  return { files, model };
}
