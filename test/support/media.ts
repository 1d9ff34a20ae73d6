import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';

/** The encoding every test video gets: H.264 and AAC in MP4, made as fast as ffmpeg can. */
const VIDEO_ARGS = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
const AUDIO_ARGS = ['-c:a', 'aac'];

/**
 * Test media made by the real tools: espeak-ng speech where words matter, ffmpeg lavfi
 * sources for picture, silence and tones. Every helper returns the path it wrote.
 */

const ffmpeg = (args: string[]) => execa('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);

/** espeak-ng's own output: 22.05 kHz mono WAV. */
export async function speechWav(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await execa('espeak-ng', ['-s', '160', '-w', path, text]);
  return path;
}

/** Speech resampled to what an engine wants (or any other rate/channel count to test refusals). */
export async function speechWavAt(
  dir: string,
  name: string,
  text: string,
  format: { sampleRate: number; channels: number } = { sampleRate: 16_000, channels: 1 },
): Promise<string> {
  const raw = await speechWav(dir, `${name}.espeak.wav`, text);
  const path = join(dir, name);
  await ffmpeg(['-i', raw, '-ar', String(format.sampleRate), '-ac', String(format.channels), '-c:a', 'pcm_s16le', path]);
  return path;
}

/** An H.264/AAC MP4 like a Cablecast recording: 320x240 at 29.97 fps, the speech as its audio. */
export async function speechVideo(dir: string, name: string, text: string): Promise<string> {
  const speech = await speechWav(dir, `${name}.speech.wav`, text);
  const path = join(dir, name);
  await ffmpeg([
    '-i',
    speech,
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=30000/1001',
    '-map',
    '1:v',
    '-map',
    '0:a',
    '-shortest',
    ...VIDEO_ARGS,
    ...AUDIO_ARGS,
    '-ar',
    '48000',
    '-ac',
    '2',
    path,
  ]);
  return path;
}

/** Picture only: what a bad capture looks like. */
export async function videoWithoutAudio(dir: string, name: string, durationSec = 2): Promise<string> {
  const path = join(dir, name);
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc=size=320x240:rate=25:duration=${durationSec}`, ...VIDEO_ARGS, path]);
  return path;
}

/** Video with two audio streams: silence first (stream 1), speech second (stream 2). */
export async function videoWithSilentFirstAudio(dir: string, name: string, text: string): Promise<string> {
  const speech = await speechWav(dir, `${name}.speech.wav`, text);
  const path = join(dir, name);
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=25',
    '-f',
    'lavfi',
    '-i',
    'anullsrc=r=48000:cl=stereo',
    '-i',
    speech,
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-map',
    '2:a',
    '-shortest',
    ...VIDEO_ARGS,
    ...AUDIO_ARGS,
    path,
  ]);
  return path;
}

/** Digital silence: no speech regions at all. */
export async function silenceWav(dir: string, name: string, durationSec = 2): Promise<string> {
  const path = join(dir, name);
  await ffmpeg(['-f', 'lavfi', '-i', `anullsrc=r=16000:cl=mono`, '-t', String(durationSec), '-c:a', 'pcm_s16le', path]);
  return path;
}

/** Bytes no demuxer recognises, under a media-looking name. */
export async function notMedia(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, randomBytes(4096));
  return path;
}

export interface WavInfo {
  format: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  durationSec: number;
  /** Largest absolute sample, 0..1 (16-bit PCM only). */
  peak: number;
}

/** Reads a PCM WAV's header and samples, to check what extraction produced. */
export async function readWavInfo(path: string): Promise<WavInfo> {
  const buf = await readFile(path);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path} is not a WAV file`);
  let fmt: Omit<WavInfo, 'durationSec' | 'peak'> | undefined;
  let data: Buffer | undefined;
  for (let pos = 12; pos + 8 <= buf.length;) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    if (id === 'fmt ') {
      fmt = {
        format: buf.readUInt16LE(pos + 8),
        channels: buf.readUInt16LE(pos + 10),
        sampleRate: buf.readUInt32LE(pos + 12),
        bitsPerSample: buf.readUInt16LE(pos + 22),
      };
    } else if (id === 'data') {
      data = buf.subarray(pos + 8, Math.min(buf.length, pos + 8 + size));
    }
    pos += 8 + size + (size % 2);
  }
  if (!fmt || !data) throw new Error(`${path} has no fmt or data chunk`);
  const frameBytes = (fmt.bitsPerSample / 8) * fmt.channels;
  let peak = 0;
  if (fmt.bitsPerSample === 16) {
    for (let i = 0; i + 1 < data.length; i += 2) peak = Math.max(peak, Math.abs(data.readInt16LE(i)) / 32768);
  }
  return { ...fmt, durationSec: data.length / frameBytes / fmt.sampleRate, peak };
}

/**
 * An MP4 recording with two stretches of speech and `pauseSec` of silence between: returns its
 * path and when the second stretch starts (the first's length plus the pause), so a test knows
 * when a word of it was said.
 */
export async function speechVideoWithPause(
  dir: string,
  name: string,
  speech: [string, string],
  pauseSec: number,
): Promise<{ path: string; secondStarts: number }> {
  const [first, second] = await Promise.all([speechWavAt(dir, `${name}.1.wav`, speech[0]), speechWavAt(dir, `${name}.2.wav`, speech[1])]);
  const firstSeconds = (await readWavInfo(first)).durationSec;
  const silence = await silenceWav(dir, `${name}.pause.wav`, pauseSec);
  const path = join(dir, name);
  await ffmpeg([
    '-i',
    first,
    '-i',
    silence,
    '-i',
    second,
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=30000/1001',
    '-filter_complex',
    '[0:a][1:a][2:a]concat=n=3:v=0:a=1[a]',
    '-map',
    '3:v',
    '-map',
    '[a]',
    '-shortest',
    ...VIDEO_ARGS,
    ...AUDIO_ARGS,
    '-ar',
    '48000',
    path,
  ]);
  return { path, secondStarts: firstSeconds + pauseSec };
}

/**
 * A recording of speech and digital silence in turns (espeak-ng lines, anullsrc seconds), as
 * AAC in MP4 like a station's audio. Returns the path and where each part starts (seconds).
 */
export async function speechAndSilence(
  dir: string,
  name: string,
  parts: readonly (string | number)[],
): Promise<{ path: string; starts: number[] }> {
  const inputs: string[] = [];
  const starts: number[] = [];
  let at = 0;
  for (const [i, part] of parts.entries()) {
    starts.push(at);
    if (typeof part === 'number') {
      inputs.push('-f', 'lavfi', '-t', String(part), '-i', 'anullsrc=r=22050:cl=mono');
      at += part;
    } else {
      const wav = await speechWav(dir, `${name}.part${i}.wav`, part);
      inputs.push('-i', wav);
      at += (await readWavInfo(wav)).durationSec;
    }
  }
  const path = join(dir, name);
  const labels = parts.map((_, i) => `[${i}:a]`).join('');
  await ffmpeg([...inputs, '-filter_complex', `${labels}concat=n=${parts.length}:v=0:a=1`, '-c:a', 'aac', '-ar', '48000', path]);
  return { path, starts };
}
