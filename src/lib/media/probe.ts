import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { errnoCode, TransientError } from '../errors.js';
import { MediaProblem } from './media-problem.js';
import { ffmpegInputUrl, runMediaTool, stderrTail } from './run-tool.js';

const videoFactsSchema = z.object({
  codec: z.string(),
  width: z.number(),
  height: z.number(),
  /** Frames per second, e.g. 29.97 for 30000/1001. */
  frameRate: z.number(),
});
export type VideoFacts = z.infer<typeof videoFactsSchema>;

const audioStreamFactsSchema = z.object({
  /** ffprobe's absolute stream index: what `-map 0:<index>` selects. */
  index: z.number().int(),
  codec: z.string(),
  channels: z.number(),
  sampleRate: z.number(),
});
export type AudioStreamFacts = z.infer<typeof audioStreamFactsSchema>;

/** What the probe step learns about a recording; stored as `media.probe`. */
export const mediaFactsSchema = z.object({
  durationSec: z.number(),
  formatName: z.string(),
  video: videoFactsSchema.optional(),
  audioStreams: z.array(audioStreamFactsSchema),
  hasAudio: z.boolean(),
});
export type MediaFacts = z.infer<typeof mediaFactsSchema>;

/** The facts the probe step stored, or undefined when there are none (or they are of an older shape): probe again then. */
export function storedFacts(probe: unknown): MediaFacts | undefined {
  const parsed = mediaFactsSchema.safeParse(probe);
  return parsed.success ? parsed.data : undefined;
}

// ffprobe prints numbers in "format" and most rates as strings; keep both shapes.
const numeric = z.union([z.number(), z.string()]).optional();

const streamSchema = z.object({
  index: z.number().int().nonnegative(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  channels: z.number().int().optional(),
  sample_rate: numeric,
  duration: numeric,
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
});

const probeSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z
    .object({
      format_name: z.string().optional(),
      duration: numeric,
    })
    .optional(),
});

type ProbeStream = z.infer<typeof streamSchema>;

function toNumber(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** "30000/1001" -> 29.97...; "0/0" (unknown) -> undefined. */
export function parseFrameRate(rate: string | undefined): number | undefined {
  if (!rate) return undefined;
  const [num, den] = rate.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num)) return undefined;
  const value = den === undefined ? num : num / den;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function videoFacts(streams: ProbeStream[]): VideoFacts | undefined {
  // Cover art in audio files shows up as a one-frame "video" stream; it is not picture content.
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (video?.width === undefined || video.height === undefined) return undefined;
  return {
    codec: video.codec_name ?? 'unknown',
    width: video.width,
    height: video.height,
    frameRate: parseFrameRate(video.r_frame_rate) ?? parseFrameRate(video.avg_frame_rate) ?? 0,
  };
}

function audioFacts(streams: ProbeStream[]): AudioStreamFacts[] {
  return streams
    .filter((s) => s.codec_type === 'audio')
    .map((s) => ({
      index: s.index,
      codec: s.codec_name ?? 'unknown',
      channels: s.channels ?? 0,
      sampleRate: toNumber(s.sample_rate) ?? 0,
    }));
}

function durationOf(parsed: z.infer<typeof probeSchema>): number | undefined {
  const fromFormat = toNumber(parsed.format?.duration);
  if (fromFormat !== undefined && fromFormat > 0) return fromFormat;
  const fromStreams = parsed.streams.map((s) => toNumber(s.duration) ?? 0);
  const longest = Math.max(0, ...fromStreams);
  return longest > 0 ? longest : undefined;
}

/**
 * Turns ffprobe's `-print_format json -show_format -show_streams` output into the facts the
 * pipeline needs. Throws MediaProblem for inputs that can never be transcribed.
 */
export function mediaFactsFromProbe(json: unknown, path: string, options: { requireAudio?: boolean | undefined } = {}): MediaFacts {
  const parsed = probeSchema.safeParse(json);
  if (!parsed.success) {
    throw new TransientError(`ffprobe output for ${path} has an unexpected shape: ${z.prettifyError(parsed.error)}`);
  }
  const durationSec = durationOf(parsed.data);
  if (durationSec === undefined) throw new MediaProblem(path, 'ffprobe reports no duration (empty or truncated file?)');
  const audioStreams = audioFacts(parsed.data.streams);
  if ((options.requireAudio ?? true) && audioStreams.length === 0) {
    throw new MediaProblem(path, 'has no audio stream, so there is nothing to transcribe');
  }
  const video = videoFacts(parsed.data.streams);
  return {
    durationSec,
    formatName: parsed.data.format?.format_name ?? 'unknown',
    video,
    audioStreams,
    hasAudio: audioStreams.length > 0,
  };
}

export interface ProbeOptions {
  signal?: AbortSignal | undefined;
  /** Accept files without audio (hasAudio tells); by default they are a MediaProblem. */
  requireAudio?: boolean | undefined;
  ffprobe?: string | undefined;
}

export async function probeMedia(path: string, options: ProbeOptions = {}): Promise<MediaFacts> {
  const ffprobe = options.ffprobe ?? 'ffprobe';
  const result = await runMediaTool(
    ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ffmpegInputUrl(path)],
    { signal: options.signal },
  );
  if (result.exitCode !== 0) {
    const reason = stderrTail(result.stderr) || `exit ${result.exitCode}`;
    // A file that cannot even be opened (share unmounted, permissions) may be back later:
    // only a file that is there and still unreadable fails for good.
    const opened = await stat(path).then(
      (info) => ({ size: info.size }),
      (error: unknown) => ({ error: errnoCode(error) ?? 'error' }),
    );
    if ('error' in opened) throw new TransientError(`${path}: cannot open it (${opened.error}): ${reason}`);
    // ffprobe's own words for an empty file ("moov atom not found") point at a broken recording, not a missing one.
    if (opened.size === 0) throw new MediaProblem(path, 'empty file (0 bytes)');
    throw new MediaProblem(path, `ffprobe cannot read it: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch (error) {
    throw new TransientError(`ffprobe printed invalid JSON for ${path}`, { cause: error });
  }
  return mediaFactsFromProbe(json, path, { requireAudio: options.requireAudio });
}
