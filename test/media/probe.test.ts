import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError, TransientError } from '../../src/lib/errors.js';
import { MediaProblem } from '../../src/lib/media/media-problem.js';
import { mediaFactsFromProbe, parseFrameRate, probeMedia } from '../../src/lib/media/probe.js';
import { notMedia, speechVideo, videoWithoutAudio } from '../support/media.js';
import { closeTo } from '../support/matchers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-probe-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeMedia', () => {
  it('reports duration, picture and audio streams of a recording', async () => {
    const path = await speechVideo(dir, 'Council: 2022 (meeting).mp4', 'the council will now come to order');
    const facts = await probeMedia(path);
    expect(facts.durationSec).toBeGreaterThan(1);
    expect(facts.durationSec).toBeLessThan(5);
    expect(facts.formatName).toContain('mp4');
    expect(facts.video).toEqual({ codec: 'h264', width: 320, height: 240, frameRate: closeTo(29.97, 2) });
    expect(facts.audioStreams).toEqual([{ index: 1, codec: 'aac', channels: 2, sampleRate: 48000 }]);
    expect(facts.hasAudio).toBe(true);
  });

  it('rejects a file without audio as a permanent media problem, unless audio is optional', async () => {
    const path = await videoWithoutAudio(dir, 'picture-only.mp4');
    const error = await probeMedia(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaProblem);
    expect((error as MediaProblem).kind).toBe('permanent');
    expect((error as MediaProblem).message).toMatch(/picture-only\.mp4: has no audio stream/);
    const facts = await probeMedia(path, { requireAudio: false });
    expect(facts.hasAudio).toBe(false);
    expect(facts.audioStreams).toEqual([]);
  });

  it('explains a file ffprobe cannot read', async () => {
    const path = await notMedia(dir, 'garbage.mp4');
    await expect(probeMedia(path)).rejects.toThrow(/garbage\.mp4: ffprobe cannot read it: .*Invalid data/);
    await expect(probeMedia(path)).rejects.toBeInstanceOf(MediaProblem);
    // Not there (an unmounted share, say) is worth another try later, so not a MediaProblem.
    const missing = await probeMedia(join(dir, 'missing.mp4')).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/missing\.mp4: cannot open it \(ENOENT\): .*No such file or directory/);
    expect(missing).toBeInstanceOf(TransientError);
    expect(missing).not.toBeInstanceOf(MediaProblem);
  });

  it('says an empty file is empty, not what ffprobe says of it', async () => {
    const path = join(dir, 'empty.mp4');
    await writeFile(path, '');
    const error = await probeMedia(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaProblem);
    expect((error as MediaProblem).message).toBe(`${path}: empty file (0 bytes)`);
  });

  it('reports a missing ffprobe as unavailable (exit 3)', async () => {
    const error = await probeMedia(join(dir, 'x.mp4'), { ffprobe: 'ffprobe-not-installed' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).exitCode).toBe(3);
  });
});

describe('mediaFactsFromProbe', () => {
  const audio = { index: 0, codec_type: 'audio', codec_name: 'mp3', channels: 2, sample_rate: '44100' };

  it('takes the longest stream when the container has no duration', () => {
    const facts = mediaFactsFromProbe({ streams: [{ ...audio, duration: '12.5' }], format: { format_name: 'mp3' } }, 'a.mp3');
    expect(facts.durationSec).toBe(12.5);
  });

  it('refuses media with no duration at all', () => {
    expect(() => mediaFactsFromProbe({ streams: [audio], format: { format_name: 'mp3' } }, 'a.mp3')).toThrow(
      /a\.mp3: ffprobe reports no duration/,
    );
  });

  it('does not take cover art for picture', () => {
    const art = { index: 1, codec_type: 'video', codec_name: 'mjpeg', width: 500, height: 500, disposition: { attached_pic: 1 } };
    const facts = mediaFactsFromProbe({ streams: [audio, art], format: { duration: '3.0' } }, 'a.mp3');
    expect(facts.video).toBeUndefined();
  });

  it('names an unexpected ffprobe shape instead of guessing', () => {
    expect(() => mediaFactsFromProbe({ streams: [{ index: 'one' }] }, 'a.mp3')).toThrow(/unexpected shape/);
  });

  it('parses frame rates', () => {
    expect(parseFrameRate('30000/1001')).toBeCloseTo(29.97, 2);
    expect(parseFrameRate('25/1')).toBe(25);
    expect(parseFrameRate('0/0')).toBeUndefined();
    expect(parseFrameRate(undefined)).toBeUndefined();
  });
});
