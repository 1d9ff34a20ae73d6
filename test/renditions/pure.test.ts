import { describe, expect, it } from 'vitest';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { encodeScc } from '../../src/lib/captions/scc-encode.js';
import { parseTimecode } from '../../src/lib/captions/timecode.js';
import { renditionArgs } from '../../src/lib/renditions/ffmpeg-args.js';
import { renditionFileName } from '../../src/lib/renditions/modes.js';
import { containerFactsFromProbe } from '../../src/lib/renditions/probe-streams.js';
import { sccWithTrailingFiller } from '../../src/lib/renditions/scc-for-mux.js';
import { srtCueTexts } from '../../src/lib/renditions/subtitle-text.js';
import { defined } from '../support/defined.js';

const captions = [
  { start: 1, end: 3, lines: ['Hello there, council.'] },
  { start: 4, end: 6.5, lines: ['Second caption line', 'with two rows.'] },
];

function lineFrames(scc: string): { frame: number; words: number }[] {
  return scc
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => {
      const [tc = '', words = ''] = l.split('\t');
      const parsed = parseTimecode(tc);
      if (!parsed.ok) throw new Error(parsed.message);
      return { frame: parsed.frames, words: words.split(' ').length };
    });
}

describe('sccWithTrailingFiller', () => {
  it('adds a null line at the end of the video, after everything else, and changes no caption', () => {
    const scc = encodeScc(captions);
    const padded = sccWithTrailingFiller(scc, 10);
    expect(padded.startsWith(scc.trimEnd())).toBe(true);
    expect(padded.trimEnd().split('\n').at(-1)).toBe('00:00:10;00\t8080 8080');
    expect(decodeScc(padded).captions.map((c) => c.lines)).toEqual(decodeScc(scc).captions.map((c) => c.lines));
    expect(decodeScc(padded).problems).toEqual([]);
  });

  it('never overlaps the last line when the captions outlast the video', () => {
    const lines = lineFrames(sccWithTrailingFiller(encodeScc(captions), 2));
    const last = defined(lines.at(-2), 'the last caption line');
    const filler = defined(lines.at(-1), 'the filler line');
    expect(filler.frame).toBeGreaterThan(last.frame + last.words - 1);
  });

  it('leaves a file without caption lines alone', () => {
    expect(sccWithTrailingFiller('Scenarist_SCC V1.0\n', 5)).toBe('Scenarist_SCC V1.0\n');
  });
});

describe('srtCueTexts', () => {
  it("drops numbers, times and the 608 decoder's styling, joining rows", () => {
    const srt =
      '1\r\n00:00:00,363 --> 00:00:02,957\r\n<font face="Monospace">{\\an7}Hello\\hthere.</font>\r\n\r\n2\n00:00:03,000 --> 00:00:04,000\n42\nrows\n\n';
    expect(srtCueTexts(srt)).toEqual(['Hello there.', '42 rows']);
  });
});

describe('renditionFileName and renditionArgs', () => {
  it('names <stem>.captioned.<ext> by mode, and a burned one <stem>.burned.mp4 so it never takes the mp4-text name', () => {
    expect(renditionFileName('/mnt/flex-1/17601-1-Council (20220111).mpg', 'mov-608')).toBe('17601-1-Council (20220111).captioned.mov');
    expect(renditionFileName('/x/a.b.mp4', 'mp4-text')).toBe('a.b.captioned.mp4');
    expect(renditionFileName('/x/a.b.mp4', 'burn')).toBe('a.b.burned.mp4');
  });

  it('copies picture and sound except when burning, and names every file with file:', () => {
    const base = { input: '/in/-x: y.mp4', captionsFile: '/s/c.scc', output: '/o/.t.tmp', crf: 20, preset: 'veryfast' };
    const mov = renditionArgs({ ...base, mode: 'mov-608' });
    expect(mov).toEqual(expect.arrayContaining(['-f', 'scc', 'file:/s/c.scc', 'file:/in/-x: y.mp4', 'file:/o/.t.tmp', '-c', 'copy', '-n']));
    expect(mov.slice(-3)).toEqual(['-f', 'mov', 'file:/o/.t.tmp']);
    const text = renditionArgs({ ...base, mode: 'mp4-text', captionsFile: '/s/c.srt' });
    expect(text).toEqual(expect.arrayContaining(['-c:v', 'copy', '-c:a', 'copy', '-c:s', 'mov_text']));
    const burn = renditionArgs({ ...base, mode: 'burn', captionsFile: '/s/c.srt' });
    expect(burn).toEqual(expect.arrayContaining(['-c:v', 'libx264', '-crf', '20', '-preset', 'veryfast', '-c:a', 'copy']));
    expect(burn[burn.indexOf('-vf') + 1]).toMatch(/^subtitles=filename='/);
  });
});

describe('containerFactsFromProbe', () => {
  it('reads streams and durations, leaving out cover art', () => {
    const facts = containerFactsFromProbe(
      {
        streams: [
          { index: 0, codec_type: 'video', codec_name: 'h264', codec_tag_string: 'avc1', duration: '10.01' },
          { index: 1, codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } },
          { index: 2, codec_type: 'subtitle', codec_name: 'eia_608', codec_tag_string: 'c608' },
        ],
        format: { duration: '10.05' },
      },
      'x.mov',
    );
    expect(facts).toEqual({
      durationSec: 10.05,
      streams: [
        { index: 0, type: 'video', codec: 'h264', tag: 'avc1', durationSec: 10.01 },
        { index: 2, type: 'subtitle', codec: 'eia_608', tag: 'c608', durationSec: undefined },
      ],
    });
  });
});
