import { PermanentError } from '../errors.js';
import { ffmpegInputUrl, runMediaTool, stderrTail } from '../media/run-tool.js';
import type { RenditionMode } from './modes.js';
import { probeContainer, type ContainerFacts } from './probe-streams.js';
import { srtCueTexts } from './subtitle-text.js';

/** A rendition that came out wrong: the same input would come out wrong again. */
export class RenditionCheckError extends PermanentError {}

export interface VerifyRenditionOptions {
  mode: RenditionMode;
  source: ContainerFacts;
  /** The finished rendition (still under its temp name). */
  output: string;
  /** The captions file ffmpeg was given. */
  captionsFile: string;
  /** Each caption's rows joined by a space, in order (checked for `mp4-text`). */
  captionTexts: readonly string[];
  signal?: AbortSignal | undefined;
}

/** Durations differ by a frame or two between containers; a cut-short file differs by far more. */
export function durationTolerance(durationSec: number): number {
  return Math.max(1, durationSec * 0.005);
}

/** Containers without per-stream durations (MPEG-TS) only know the whole file's. */
function videoSeconds(facts: ContainerFacts): number | undefined {
  return facts.streams.find((s) => s.type === 'video')?.durationSec ?? facts.durationSec;
}

function count(facts: ContainerFacts, type: string): number {
  return facts.streams.filter((s) => s.type === type).length;
}

async function decodeSubtitles(args: string[], what: string, signal?: AbortSignal): Promise<string[]> {
  const result = await runMediaTool('ffmpeg', ['-nostdin', '-v', 'error', ...args, '-f', 'srt', '-'], { signal });
  if (result.exitCode !== 0)
    throw new RenditionCheckError(`FFmpeg cannot decode ${what}: ${stderrTail(result.stderr) || `exit ${result.exitCode}`}`);
  return srtCueTexts(result.stdout);
}

/** Decodes the whole picture; the time of the last decoded frame says how much of it is there. */
async function decodedVideoSeconds(path: string, signal?: AbortSignal): Promise<number> {
  const result = await runMediaTool(
    'ffmpeg',
    [
      '-nostdin',
      '-v',
      'error',
      '-xerror',
      '-i',
      ffmpegInputUrl(path),
      '-map',
      '0:v:0',
      '-f',
      'null',
      '-progress',
      'pipe:1',
      '-nostats',
      '-',
    ],
    { signal },
  );
  if (result.exitCode !== 0)
    throw new RenditionCheckError(`the picture of ${path} does not decode: ${stderrTail(result.stderr) || `exit ${result.exitCode}`}`);
  const times = [...result.stdout.matchAll(/^out_time_us=(\d+)$/gm)].map((m) => Number(m[1]));
  const last = times.at(-1);
  if (last === undefined) throw new RenditionCheckError(`ffmpeg reported no progress decoding ${path}`);
  return last / 1e6;
}

function firstDifference(a: readonly string[], b: readonly string[]): string {
  const i = a.findIndex((text, n) => text !== b[n]);
  const at = i === -1 ? Math.min(a.length, b.length) : i;
  return `caption ${at + 1}: ${JSON.stringify(a[at] ?? '(none)')} vs ${JSON.stringify(b[at] ?? '(none)')} (${a.length} vs ${b.length} captions)`;
}

/**
 * Checks a rendition before it may take its final name: the streams are all there and as
 * long as the recording, and the captions are in it. A `c608` track must decode (FFmpeg's
 * own 608 decoder) to exactly what the SCC decodes to; a `mov_text` track to the captions;
 * a burnt-in picture must decode from start to end.
 */
export async function verifyRendition(options: VerifyRenditionOptions): Promise<ContainerFacts> {
  const { mode, source, output, signal } = options;
  const facts = await probeContainer(output, signal);
  const problems: string[] = [];
  const expectedVideo = mode === 'burn' ? 1 : count(source, 'video');
  if (count(facts, 'video') !== expectedVideo) problems.push(`${count(facts, 'video')} video streams, expected ${expectedVideo}`);
  if (count(facts, 'audio') !== count(source, 'audio'))
    problems.push(`${count(facts, 'audio')} audio streams, expected ${count(source, 'audio')}`);
  // The picture's length, not the file's: a caption held past the last frame may lengthen the file.
  const expectedSec = videoSeconds(source);
  if (expectedSec !== undefined) {
    const got = videoSeconds(facts) ?? 0;
    if (Math.abs(got - expectedSec) > durationTolerance(expectedSec)) {
      problems.push(`its picture lasts ${got.toFixed(2)} s, the recording's ${expectedSec.toFixed(2)} s`);
    }
  }
  const subtitles = facts.streams.filter((s) => s.type === 'subtitle');
  if (mode === 'mov-608' && !subtitles.some((s) => s.codec === 'eia_608' && s.tag === 'c608'))
    problems.push('no c608 closed-caption track');
  if (mode === 'mp4-text' && !subtitles.some((s) => s.codec === 'mov_text')) problems.push('no mov_text subtitle track');
  if (problems.length > 0) throw new RenditionCheckError(`the ${mode} rendition ${output} is not right: ${problems.join('; ')}`);

  if (mode === 'mov-608') {
    const fromTrack = await decodeSubtitles(['-i', ffmpegInputUrl(output), '-map', '0:s:0'], `the c608 track of ${output}`, signal);
    const fromScc = await decodeSubtitles(['-f', 'scc', '-i', ffmpegInputUrl(options.captionsFile)], options.captionsFile, signal);
    if (fromTrack.length === 0 || fromTrack.join('\n') !== fromScc.join('\n')) {
      throw new RenditionCheckError(
        `the c608 track of ${output} does not decode to the SCC's text: ${firstDifference(fromTrack, fromScc)}`,
      );
    }
  } else if (mode === 'mp4-text') {
    const fromTrack = await decodeSubtitles(['-i', ffmpegInputUrl(output), '-map', '0:s:0'], `the mov_text track of ${output}`, signal);
    const expected = options.captionTexts.map((t) => t.replace(/\s+/g, ' ').trim());
    if (fromTrack.join('\n') !== expected.join('\n')) {
      throw new RenditionCheckError(`the mov_text track of ${output} does not hold the captions: ${firstDifference(fromTrack, expected)}`);
    }
  } else {
    const decoded = await decodedVideoSeconds(output, signal);
    const expected = videoSeconds(source);
    if (expected !== undefined && Math.abs(decoded - expected) > durationTolerance(expected)) {
      throw new RenditionCheckError(`the picture of ${output} decodes for ${decoded.toFixed(2)} s of ${expected.toFixed(2)} s`);
    }
  }
  return facts;
}
