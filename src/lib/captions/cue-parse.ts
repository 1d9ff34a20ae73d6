import type { Caption } from './segment.js';

/** A cue file that cannot be read as captions: the line and what is wrong there. */
export interface CueProblem {
  line: number;
  message: string;
}

const TIMING = /^((?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3})\s+-->\s+((?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3})(?:\s.*)?$/u;

function seconds(clock: string): number {
  const [hms = '', fraction = '0'] = clock.split(/[,.]/u);
  const parts = hms.split(':').map(Number);
  while (parts.length < 3) parts.unshift(0);
  const [h = 0, m = 0, s = 0] = parts;
  return h * 3600 + m * 60 + s + Number(`0.${fraction.padEnd(3, '0')}`);
}

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&nbsp;': ' ', '&lrm;': '', '&rlm;': '' };

/** A cue line as shown: markup (`<i>`, `<c.yellow>`, `<00:01.000>`, SRT's `{\an8}`) left out, entities read. */
function plainText(line: string): string {
  return line
    .replace(/<[^>]*>/gu, '')
    .replace(/\{\\[^}]*\}/gu, '')
    .replace(/&(?:amp|lt|gt|nbsp|lrm|rlm);/gu, (entity) => ENTITIES[entity] ?? entity)
    .trim();
}

/**
 * The captions of an SRT or WebVTT file, in time order, each with its lines as the editor
 * broke them. Every block must have a timing line (`00:01:02,500 --> 00:01:04,000`, with `.`
 * or `,`, the hours optional) ending after it starts; WebVTT's header, NOTE, STYLE and REGION
 * blocks are skipped. Anything else is a problem with its line number, and a file with no
 * cue is one too.
 */
export function parseCueFile(text: string, format: 'srt' | 'vtt'): { captions: Caption[]; problems: CueProblem[] } {
  const lines = text.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u);
  const captions: Caption[] = [];
  const problems: CueProblem[] = [];
  let i = 0;
  if (format === 'vtt') {
    if (!/^WEBVTT(?:[ \t].*)?$/u.test(lines[0] ?? '')) problems.push({ line: 1, message: 'a WebVTT file starts with "WEBVTT"' });
    while (i < lines.length && (lines[i] ?? '').trim() !== '') i++;
  }
  while (i < lines.length) {
    while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
    if (i >= lines.length) break;
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() !== '') block.push(lines[i++] ?? '');
    if (format === 'vtt' && /^(?:NOTE|STYLE|REGION)(?:\s|$)/u.test(block[0] ?? '')) continue;
    const timingAt = block.findIndex((line) => line.includes('-->'));
    const timing = timingAt < 0 || timingAt > 1 ? undefined : TIMING.exec((block[timingAt] ?? '').trim());
    if (!timing) {
      problems.push({
        line: blockStart + 1 + Math.max(0, timingAt),
        message: 'expected a cue timing such as 00:01:02,500 --> 00:01:04,000',
      });
      continue;
    }
    const start = seconds(timing[1] ?? '');
    const end = seconds(timing[2] ?? '');
    if (!(end > start)) {
      problems.push({ line: blockStart + 1 + timingAt, message: 'the cue ends before it starts' });
      continue;
    }
    const cueLines = block
      .slice(timingAt + 1)
      .map(plainText)
      .filter((line) => line !== '');
    if (cueLines.length > 0) captions.push({ start, end, lines: cueLines });
  }
  if (captions.length === 0 && problems.length === 0) problems.push({ line: 1, message: 'no captions in the file' });
  captions.sort((a, b) => a.start - b.start);
  return { captions, problems };
}
