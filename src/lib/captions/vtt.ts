import type { Caption } from './segment.js';
import { clock } from './srt.js';

/** WebVTT with cue text escaped, so `<`, `&` and `-->` in speech never read as markup. */
export function formatVtt(captions: readonly Caption[]): string {
  const cues = captions.map((c) => `${clock(c.start, '.')} --> ${clock(c.end, '.')}\n${c.lines.map(escapeCueText).join('\n')}\n`);
  return ['WEBVTT\n', ...cues].join('\n');
}

function escapeCueText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
