import { z } from 'zod';
import { TransientError } from '../errors.js';
import { ffmpegInputUrl, runMediaTool, stderrTail } from '../media/run-tool.js';

const numeric = z.union([z.number(), z.string()]).optional();

const streamSchema = z.looseObject({
  index: z.number().int().nonnegative(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  codec_tag_string: z.string().optional(),
  duration: numeric,
  disposition: z.looseObject({ attached_pic: z.number().optional() }).optional(),
});

const probeSchema = z.looseObject({
  streams: z.array(streamSchema).default([]),
  format: z.looseObject({ duration: numeric }).optional(),
});

export interface StreamFacts {
  index: number;
  type: string;
  codec: string;
  /** The container's sample entry, e.g. `c608` or `tx3g`. */
  tag: string;
  durationSec: number | undefined;
}

export interface ContainerFacts {
  durationSec: number | undefined;
  streams: StreamFacts[];
}

function toSeconds(value: number | string | undefined): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Every stream of a file as ffprobe sees it; cover art is not counted as video. */
export function containerFactsFromProbe(json: unknown, path: string): ContainerFacts {
  const parsed = probeSchema.safeParse(json);
  if (!parsed.success) throw new TransientError(`ffprobe output for ${path} has an unexpected shape: ${z.prettifyError(parsed.error)}`);
  return {
    durationSec: toSeconds(parsed.data.format?.duration),
    streams: parsed.data.streams
      .filter((s) => s.disposition?.attached_pic !== 1)
      .map((s) => ({
        index: s.index,
        type: s.codec_type ?? 'unknown',
        codec: s.codec_name ?? 'unknown',
        tag: s.codec_tag_string ?? '',
        durationSec: toSeconds(s.duration),
      })),
  };
}

export async function probeContainer(path: string, signal?: AbortSignal): Promise<ContainerFacts> {
  const result = await runMediaTool(
    'ffprobe',
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ffmpegInputUrl(path)],
    { signal },
  );
  if (result.exitCode !== 0)
    throw new TransientError(`ffprobe cannot read ${path}: ${stderrTail(result.stderr) || `exit ${result.exitCode}`}`);
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch (error) {
    throw new TransientError(`ffprobe printed invalid JSON for ${path}`, { cause: error });
  }
  return containerFactsFromProbe(json, path);
}
