import { ffmpegInputUrl } from '../media/run-tool.js';
import { subtitlesFilter } from './filter-escape.js';
import { RENDITION_CONTAINER, type RenditionMode } from './modes.js';

export interface RenditionCommand {
  mode: RenditionMode;
  /** The recording. */
  input: string;
  /** SCC for `mov-608`, SubRip for the other modes. */
  captionsFile: string;
  /** Where ffmpeg writes (a temp name: the container is given explicitly). */
  output: string;
  crf: number;
  preset: string;
}

/**
 * ffmpeg's arguments for one rendition. Picture and sound are copied untouched except in
 * `burn`, which must re-encode the picture to draw on it. `0:V` is video that is not cover
 * art; every audio stream is kept. `-n`: the temp name is new, and must never replace a file.
 */
export function renditionArgs(command: RenditionCommand): string[] {
  const input = ['-nostdin', '-hide_banner', '-v', 'error', '-n', '-i', ffmpegInputUrl(command.input)];
  const output = ['-map_metadata', '0', '-f', RENDITION_CONTAINER[command.mode], ffmpegInputUrl(command.output)];
  switch (command.mode) {
    case 'mov-608':
      // The scc demuxer yields eia_608 packets; copied into MOV they become a `c608` track.
      return [
        ...input,
        '-f',
        'scc',
        '-i',
        ffmpegInputUrl(command.captionsFile),
        '-map',
        '0:V',
        '-map',
        '0:a?',
        '-map',
        '1:0',
        '-c',
        'copy',
        ...output,
      ];
    case 'mp4-text':
      return [
        ...input,
        '-f',
        'srt',
        '-i',
        ffmpegInputUrl(command.captionsFile),
        '-map',
        '0:V',
        '-map',
        '0:a?',
        '-map',
        '1:0',
        '-c:v',
        'copy',
        '-c:a',
        'copy',
        '-c:s',
        'mov_text',
        ...output,
      ];
    case 'burn':
      return [
        ...input,
        '-map',
        '0:V:0',
        '-map',
        '0:a?',
        '-vf',
        subtitlesFilter(command.captionsFile),
        '-c:v',
        'libx264',
        '-crf',
        String(command.crf),
        '-preset',
        command.preset,
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'copy',
        ...output,
      ];
  }
}
