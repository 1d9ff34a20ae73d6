import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError, TransientError } from '../../src/lib/errors.js';
import { extractAudio } from '../../src/lib/media/extract-audio.js';
import { MediaProblem } from '../../src/lib/media/media-problem.js';
import { SCRATCH_DIR_PREFIX, withScratchDir } from '../../src/lib/media/scratch.js';
import { readWavInfo, speechVideo, videoWithSilentFirstAudio, videoWithoutAudio } from '../support/media.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-extract-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('extractAudio', () => {
  it('writes 16 kHz mono 16-bit PCM WAV of the whole recording', async () => {
    const video = await speechVideo(dir, 'meeting.mp4', 'please rise for the pledge of allegiance');
    const out = join(dir, 'meeting.wav');
    const { wavPath, facts } = await extractAudio(video, out);
    expect(wavPath).toBe(out);
    const wav = await readWavInfo(out);
    expect(wav).toMatchObject({ format: 1, sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(wav.durationSec).toBeCloseTo(facts.durationSec, 0);
    expect(wav.peak).toBeGreaterThan(0.05);
  });

  it('takes the first audio stream unless told which one', async () => {
    const video = await videoWithSilentFirstAudio(dir, 'two-tracks.mp4', 'second track speaks');
    const first = await readWavInfo((await extractAudio(video, join(dir, 'first.wav'))).wavPath);
    expect(first.peak).toBe(0);
    const second = await readWavInfo((await extractAudio(video, join(dir, 'second.wav'), { streamIndex: 2 })).wavPath);
    expect(second.peak).toBeGreaterThan(0.05);
    await expect(extractAudio(video, join(dir, 'x.wav'), { streamIndex: 0 })).rejects.toThrow(
      /stream 0 is not an audio stream \(audio streams: 1, 2\)/,
    );
  });

  it('fails a file without audio with the reason and leaves nothing behind', async () => {
    const work = await mkdtemp(join(dir, 'work-'));
    const video = await videoWithoutAudio(dir, 'silent-picture.mp4');
    const error = await extractAudio(video, join(work, 'out.wav')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaProblem);
    expect((error as Error).message).toMatch(/silent-picture\.mp4: has no audio stream/);
    expect(await readdir(work)).toEqual([]);
  });

  it("fails with ffmpeg's own reason and leaves no temp file when ffmpeg fails", async () => {
    const work = await mkdtemp(join(dir, 'work-'));
    const video = await videoWithoutAudio(dir, 'stale-facts.mp4');
    // Facts from an earlier probe that no longer match the file: ffmpeg finds no audio to map.
    const stale = {
      durationSec: 2,
      formatName: 'mov,mp4',
      audioStreams: [{ index: 1, codec: 'aac', channels: 2, sampleRate: 48000 }],
      hasAudio: true,
    };
    const error = await extractAudio(video, join(work, 'out.wav'), { facts: stale }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).not.toBeInstanceOf(MediaProblem);
    expect((error as Error).message).toMatch(/ffmpeg could not extract audio from .*stale-facts\.mp4: .*matches no streams/);
    expect(await readdir(work)).toEqual([]);
  });

  it('reports a missing ffmpeg as unavailable (exit 3)', async () => {
    const video = await speechVideo(dir, 'any.mp4', 'hello');
    const error = await extractAudio(video, join(dir, 'y.wav'), { ffmpeg: 'ffmpeg-not-installed' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
  });
});

describe('withScratchDir', () => {
  it('removes the scratch directory after success and after failure', async () => {
    const root = join(dir, 'work-root');
    let seen = '';
    await withScratchDir(root, async (scratch) => {
      seen = scratch;
      expect((await stat(scratch)).isDirectory()).toBe(true);
    });
    expect(seen).toContain(SCRATCH_DIR_PREFIX);
    await expect(
      withScratchDir(root, (scratch) => {
        seen = scratch;
        return Promise.reject(new Error('job failed'));
      }),
    ).rejects.toThrow('job failed');
    expect(await readdir(root)).toEqual([]);
  });
});
