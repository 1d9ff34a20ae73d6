import { unlink } from 'node:fs/promises';
import { renameIntoPlace, tempPathFor } from '../fs/atomic.js';
import { TransientError } from '../errors.js';
import { MediaProblem } from './media-problem.js';
import { probeMedia, type MediaFacts } from './probe.js';
import { ffmpegInputUrl, runMediaTool, stderrTail } from './run-tool.js';
import { parseSilences, silenceFilter, type SilenceDetection } from './silence-detect.js';
import type { Silence } from './speech-spans.js';

/** What every Whisper engine wants: 16 kHz mono 16-bit PCM. */
export const ENGINE_SAMPLE_RATE = 16_000;

/**
 * Picks the stream to transcribe: the configured absolute stream index (as ffprobe numbers
 * it), or the first audio stream. Returns the ffmpeg `-map` selector.
 */
function audioStreamSelector(input: string, facts: MediaFacts, streamIndex?: number): string {
  if (facts.audioStreams.length === 0) {
    throw new MediaProblem(input, 'has no audio stream, so there is nothing to transcribe');
  }
  if (streamIndex === undefined) return '0:a:0';
  if (!facts.audioStreams.some((s) => s.index === streamIndex)) {
    const available = facts.audioStreams.map((s) => s.index).join(', ');
    throw new MediaProblem(input, `stream ${streamIndex} is not an audio stream (audio streams: ${available})`);
  }
  return `0:${streamIndex}`;
}

function audioExtractionArgs(input: string, output: string, selector: string, silence: SilenceDetection | undefined): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    ffmpegInputUrl(input),
    '-map',
    selector,
    '-vn',
    '-sn',
    '-dn',
    ...(silence ? ['-af', silenceFilter(silence, ENGINE_SAMPLE_RATE)] : []),
    '-ac',
    '1',
    '-ar',
    String(ENGINE_SAMPLE_RATE),
    '-c:a',
    'pcm_s16le',
    // No LIST chunk: the header stays the plain one the byte arithmetic of cutting expects.
    '-fflags',
    '+bitexact',
    '-f',
    'wav',
    ffmpegInputUrl(output),
  ];
}

export interface ExtractAudioOptions {
  /** Absolute ffprobe stream index to use instead of the first audio stream. */
  streamIndex?: number | undefined;
  /** Facts from an earlier probe; probed here when absent. */
  facts?: MediaFacts | undefined;
  signal?: AbortSignal | undefined;
  ffmpeg?: string;
  ffprobe?: string | undefined;
  /** Also report the audio's silences, found in the same pass. */
  silence?: SilenceDetection | undefined;
}

/**
 * Writes `output` as 16 kHz mono PCM WAV from `input`. The WAV appears under its name only
 * when complete (temp name, then rename), so a killed run never leaves a short file behind.
 * With `silence`, the same ffmpeg pass reports the silences (in seconds of the WAV).
 */
export async function extractAudio(
  input: string,
  output: string,
  options: ExtractAudioOptions = {},
): Promise<{ wavPath: string; facts: MediaFacts; silences: Silence[] }> {
  const facts = options.facts ?? (await probeMedia(input, { signal: options.signal, ffprobe: options.ffprobe }));
  const selector = audioStreamSelector(input, facts, options.streamIndex);
  const temp = tempPathFor(output);
  let silences: Silence[] = [];
  try {
    const result = await runMediaTool(options.ffmpeg ?? 'ffmpeg', audioExtractionArgs(input, temp, selector, options.silence), {
      signal: options.signal,
    });
    if (result.exitCode !== 0) {
      throw new TransientError(`ffmpeg could not extract audio from ${input}: ${stderrTail(result.stderr) || `exit ${result.exitCode}`}`);
    }
    if (options.silence) silences = parseSilences(result.stdout);
    await renameIntoPlace(temp, output);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return { wavPath: output, facts, silences };
}
