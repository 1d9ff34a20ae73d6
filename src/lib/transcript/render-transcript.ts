import type { Paragraph } from './paragraphs.js';
import { stamp } from './stamp.js';

export const TRANSCRIPT_FORMATS = ['txt', 'md', 'json'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

/** What a filed transcript says about its recording, above the text. */
export interface TranscriptHeader {
  title: string;
  date: string | null;
  site: string;
  path: string;
  engine: string;
  model: string;
  /** The caption file a person edited, when the words are theirs. */
  editedFrom?: string | null | undefined;
}

const WIDTH = 78;

/** Words filled into lines of at most `width` columns (a longer word gets a line of its own). */
function fill(text: string, width = WIDTH): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

function paragraphText(paragraph: Paragraph): string {
  return paragraph.words.map((word) => word.text).join(' ');
}

function headerLines(header: TranscriptHeader): [string, string][] {
  const lines: [string, string][] = [
    ['Date', header.date ?? 'unknown'],
    ['Site', header.site],
    ['Recording', header.path],
    ['Transcribed by', `${header.engine}, model ${header.model}`],
  ];
  if (header.editedFrom) lines.push(['Edited by hand', `the captions imported from ${header.editedFrom}`]);
  return lines;
}

/**
 * The clerk's transcript: a header (title, date, site, recording, engine and model), then a
 * paragraph at each pause, each opening with its `[HH:MM:SS]` stamp. Plain text is filled to
 * 78 columns; Markdown and JSON carry the same paragraphs.
 */
export function renderTranscript(header: TranscriptHeader, paragraphs: readonly Paragraph[], format: TranscriptFormat): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        ...header,
        editedFrom: header.editedFrom ?? null,
        paragraphs: paragraphs.map((p) => ({ start: p.start, end: p.end, stamp: stamp(p.start), text: paragraphText(p) })),
      },
      null,
      2,
    )}\n`;
  }
  const body = paragraphs.length === 0 ? ['(no speech)'] : paragraphs;
  if (format === 'md') {
    const meta = headerLines(header).map(([key, value]) => `- **${key}:** ${value}`);
    const text = body.map((p) => (typeof p === 'string' ? p : `**[${stamp(p.start)}]** ${paragraphText(p)}`));
    return `${[`# ${header.title}`, meta.join('\n'), ...text].join('\n\n')}\n`;
  }
  const meta = headerLines(header).map(([key, value]) => `${key}: ${value}`);
  const text = body.map((p) => (typeof p === 'string' ? p : fill(`[${stamp(p.start)}] ${paragraphText(p)}`)));
  return `${[[header.title, '='.repeat(Math.min(WIDTH, header.title.length)), ...meta].join('\n'), ...text].join('\n\n')}\n`;
}
