/**
 * SCC read back by decoders we did not write: the Streaming Video Technology Alliance's
 * `@svta/cml-608` (from hls.js / dash.js), mux.js's `Cea608Stream` (video.js) and FFmpeg's
 * `ccaption_dec`. Neither library reads SCC text with drop-frame time, so the file's byte
 * pairs are fed to them with each line's time computed here from its drop-frame label.
 */
import { Cta608Parser, type CaptionScreen } from '@svta/cml-608';
import { execa } from 'execa';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { framesToSeconds, parseTimecode } from '../../src/lib/captions/timecode.js';

export interface ReadCaption {
  start: number;
  end: number;
  text: string;
}

/** Each SCC line's frame (from its drop-frame label) and its bytes, parity bits as sent. */
function sccLines(scc: string): { frame: number; bytes: number[] }[] {
  return scc
    .split('\n')
    .filter((line) => /^\d\d:/.test(line))
    .map((line) => {
      const [label = '', body = ''] = line.split('\t');
      const timecode = parseTimecode(label);
      if (!timecode.ok) throw new Error(timecode.message);
      const bytes = body.split(' ').flatMap((word) => [Number.parseInt(word.slice(0, 2), 16), Number.parseInt(word.slice(2), 16)]);
      return { frame: timecode.frames, bytes };
    });
}

/** `@svta/cml-608`'s `Cta608Parser`, field 1, channel 1. */
export function readWithCml608(scc: string): ReadCaption[] {
  const cues: ReadCaption[] = [];
  const handler = {
    newCue(start: number, end: number, screen: CaptionScreen): void {
      const text = screen.rows
        .map((row) => row.getTextString().trim())
        .filter((row) => row !== '')
        .join(' ');
      if (text !== '') cues.push({ start, end, text });
    },
  };
  const parser = new Cta608Parser(1, handler, null);
  for (const line of sccLines(scc)) parser.addData(framesToSeconds(line.frame), line.bytes);
  return cues;
}

const muxCueSchema = z.object({
  startPts: z.number(),
  endPts: z.number(),
  content: z.array(z.object({ text: z.string(), line: z.number() })),
});

interface MuxCea608Stream {
  on(event: 'data', listener: (data: unknown) => void): void;
  push(packet: { pts: number; ccData: number; type: number }): void;
}

const muxModuleSchema = z.object({
  Cea608Stream: z.custom<new (field: number, dataChannel: number) => MuxCea608Stream>((value) => typeof value === 'function'),
});

/** mux.js's `Cea608Stream` (field 1, data channel 1), given one byte pair per frame; pts counts frames. */
export function readWithMuxJs(scc: string): ReadCaption[] {
  const require = createRequire(import.meta.url);
  const { Cea608Stream } = muxModuleSchema.parse(require('mux.js/lib/m2ts/caption-stream.js'));
  const stream = new Cea608Stream(0, 0);
  const cues: ReadCaption[] = [];
  stream.on('data', (data) => {
    const cue = muxCueSchema.parse(data);
    const rows = [...cue.content].sort((a, b) => a.line - b.line).map((row) => row.text);
    cues.push({ start: framesToSeconds(cue.startPts), end: framesToSeconds(cue.endPts), text: rows.join(' ').replace(/\s+/g, ' ').trim() });
  });
  for (const line of sccLines(scc)) {
    for (let i = 0; i + 1 < line.bytes.length; i += 2) {
      stream.push({ pts: line.frame + i / 2, ccData: ((line.bytes[i] ?? 0) << 8) | (line.bytes[i + 1] ?? 0), type: 0 });
    }
  }
  return cues;
}

/**
 * FFmpeg's SCC demuxer and `ccaption_dec`, written out as SubRip. Its demuxer counts about
 * 33 ms a frame without drop-frame and stamps a cue at its line's start, so only the text and
 * its order are worth comparing.
 */
export async function readWithFfmpeg(path: string): Promise<string[]> {
  const { stdout } = await execa('ffmpeg', ['-v', 'error', '-i', path, '-f', 'srt', '-']);
  return stdout
    .split(/\r?\n\r?\n/)
    .map((cue) => cue.split(/\r?\n/).slice(2).join(' '))
    .map((text) =>
      text
        .replace(/<[^>]+>/g, '')
        .replace(/\{\\[^}]*\}/g, '')
        .replace(/\\h/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((text) => text !== '');
}
