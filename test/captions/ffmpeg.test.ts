import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { encodeScc } from '../../src/lib/captions/scc-encode.js';
import { segmentCaptions } from '../../src/lib/captions/segment.js';
import { syntheticSpeech } from '../support/transcripts/generate.js';

/**
 * FFmpeg's own EIA-608 decoder (sccdec + ccaption_dec) is the independent check. Its tables
 * differ from CEA-608 in a few glyphs (it shows ' as ’, — as -, ‘ as ´, ’ as ‘, • as ·), so
 * quotes and dashes are folded before comparing; its times are ~33 ms frames without
 * drop-frame, so only text and order are compared.
 */
function fold(text: string): string {
  return text
    .replace(/[‘’´']/g, "'")
    .replace(/[—-]/g, '-')
    .replace(/[•·]/g, '.')
    .replace(/\s+/g, ' ')
    .trim();
}

function srtText(srt: string): string[] {
  return srt
    .split(/\r?\n\r?\n/)
    .map((cue) => cue.split(/\r?\n/).slice(2).join(' '))
    .map((text) =>
      text
        .replace(/<[^>]+>/g, '')
        .replace(/\{\\[^}]*\}/g, '')
        .replace(/\\h/g, ' '),
    )
    .filter((text) => text.trim() !== '');
}

describe('FFmpeg reads our SCC', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archivist-ffmpeg-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the same text, in the same order', async () => {
    const special = 'Señor Müller paid ½ of £20 at 30° — “really?” ♪♪ *note* {x} [a] ¿qué? ¡sí! © ™ naïve façade Øresund’s ß'
      .split(' ')
      .map((text, i) => ({ text, start: 1 + i * 0.4, end: 1.3 + i * 0.4 }));
    const words = [...special, ...syntheticSpeech(1500, 21, 20)];
    const captions = segmentCaptions(words);
    const scc = encodeScc(captions);
    const path = join(dir, 'x.scc');
    await writeFile(path, scc);
    const { stdout } = await execa('ffmpeg', ['-v', 'error', '-i', path, '-f', 'srt', '-']);
    const theirs = srtText(stdout).map(fold);
    const ours = decodeScc(scc).captions.map((c) => fold(c.lines.join(' ')));
    expect(ours).toEqual(captions.map((c) => fold(c.lines.join(' '))));
    expect(theirs).toEqual(ours);
    expect(theirs[0]).toContain('Señor Müller paid ½ of £20 at 30°');
  });
});
