import { execa } from 'execa';
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeFilterPath, subtitlesFilter } from '../../src/lib/renditions/filter-escape.js';

const WHITESPACE = ' \n\t\r';

/** libavutil's av_get_token: what FFmpeg does with the text at each of the two levels. */
function avGetToken(text: string, terminators: string): { token: string; rest: string } {
  let i = 0;
  while (i < text.length && WHITESPACE.includes(text.charAt(i))) i += 1;
  let out = '';
  let keep = 0;
  while (i < text.length && !terminators.includes(text.charAt(i))) {
    const c = text.charAt(i++);
    if (c === '\\' && i < text.length) {
      out += text.charAt(i++);
      keep = out.length;
    } else if (c === "'") {
      while (i < text.length && text.charAt(i) !== "'") out += text.charAt(i++);
      if (i < text.length) i += 1;
      keep = out.length;
    } else {
      out += c;
      if (!WHITESPACE.includes(c)) keep = out.length;
    }
  }
  return { token: out.slice(0, keep), rest: text.slice(i) };
}

/** The filtergraph parser takes the filter's arguments, then the option parser the value. */
function filenameFfmpegSees(filter: string): string {
  const prefix = 'subtitles=';
  expect(filter.startsWith(prefix)).toBe(true);
  const graph = avGetToken(filter.slice(prefix.length), '[],;');
  expect(graph.rest).toBe('');
  expect(graph.token.startsWith('filename=')).toBe(true);
  const option = avGetToken(graph.token.slice('filename='.length), ':');
  expect(option.rest).toBe('');
  return option.token;
}

const HOSTILE = [
  '/srv/Council\'s "Budget": 2024, part [1]; final.srt',
  '/tmp/a:b:c/d.srt',
  "/tmp/'''/x.srt",
  '/tmp/back\\slash\\\\/x.srt',
  '/tmp/ leading and trailing /x.srt ',
  "/tmp/\\'/x.srt",
  '/tmp/tab\there/new\nline.srt',
  '/tmp/[in][out];split,scale=2:2/x.srt',
  '/tmp/Señor Müller — “quoted” ♪.srt',
];

describe('escapeFilterPath', () => {
  it.each(HOSTILE)('reaches the subtitles filter unchanged: %j', (path) => {
    expect(filenameFfmpegSees(subtitlesFilter(path))).toBe(path);
  });

  it('keeps any string intact through both levels', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (path) => {
        expect(filenameFfmpegSees(subtitlesFilter(path))).toBe(path);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves nothing special outside quotes', () => {
    const escaped = escapeFilterPath("a'b:c,d");
    expect(escaped.startsWith("'")).toBe(true);
    expect(escaped.endsWith("'")).toBe(true);
  });
});

describe("the subtitles filter of this machine's FFmpeg", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archivist-filter-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["we'ird: [dir], x;y", 'it\'s a "test": 1\\2 ,;[].srt'],
    ['plain', "Council: 2024-01-11 'Budget'.srt"],
  ])('opens %j / %j', async (folder, name) => {
    await mkdir(join(dir, folder), { recursive: true });
    const path = join(dir, folder, name);
    await writeFile(path, '1\n00:00:00,000 --> 00:00:01,000\nHello\n');
    const result = await execa(
      'ffmpeg',
      ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'color=size=96x64:duration=0.2', '-vf', subtitlesFilter(path), '-f', 'null', '-'],
      { reject: false },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });
});
