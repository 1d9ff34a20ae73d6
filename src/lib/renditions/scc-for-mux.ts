import { formatDropFrame, parseTimecode, secondsToFrames } from '../captions/timecode.js';

/** Null padding with parity: carries no caption data. */
const FILLER_LINE_WORDS = '8080 8080';

/**
 * FFmpeg's MOV muxer drops a subtitle track's last packet when that packet has no duration,
 * and the SCC demuxer gives the last line none: the final EDM (clear screen) would be lost
 * and the last caption would stay up. A filler line after it, at the end of the video when
 * that is later, gives every real line a duration.
 */
export function sccWithTrailingFiller(scc: string, videoDurationSec: number): string {
  const lines = scc.split(/\r?\n/).filter((line) => /^\d{2}:\d{2}:\d{2}[:;.,]\d{2}\t/.test(line));
  const last = lines.at(-1);
  if (last === undefined) return scc;
  const [timecode = '', words = ''] = last.split('\t');
  const parsed = parseTimecode(timecode);
  if (!parsed.ok) throw new Error(`cannot extend SCC: ${parsed.message}`);
  const lastEnds = parsed.frames + words.trim().split(/\s+/).length;
  const fillerFrame = Math.max(lastEnds + 1, secondsToFrames(videoDurationSec));
  return `${scc.replace(/\s*$/, '')}\n\n${formatDropFrame(fillerFrame)}\t${FILLER_LINE_WORDS}\n`;
}
