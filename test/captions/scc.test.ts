import { describe, expect, it } from 'vitest';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { encodeScc } from '../../src/lib/captions/scc-encode.js';
import type { Caption } from '../../src/lib/captions/segment.js';
import { framesToSeconds } from '../../src/lib/captions/timecode.js';
import { defined } from '../support/defined.js';

const at = (frame: number): number => framesToSeconds(frame);
const bodyLines = (scc: string): string[] => scc.split('\n').filter((l) => /^\d\d:/.test(l));

describe('encodeScc', () => {
  it('writes the header, pre-rolls so EOC lands on the start frame, and clears with EDM', () => {
    const scc = encodeScc([{ start: at(100), end: at(160), lines: ['Hi.'] }]);
    expect(scc.startsWith('Scenarist_SCC V1.0\n\n')).toBe(true);
    const [load, clear] = bodyLines(scc);
    // ENM ENM RCL RCL, PAC row 15 indent 12 (doubled), tab offset 2 (doubled), "Hi." then EOC EOC.
    expect(load).toBe('00:00:03;00\t94ae 94ae 9420 9420 9476 9476 97a2 97a2 c8e9 ae80 942f 942f');
    expect(clear).toBe('00:00:05;10\t942c 942c');
    const { captions, problems } = decodeScc(scc);
    expect(problems).toEqual([]);
    expect(captions).toEqual([{ start: at(100), end: at(160), lines: ['Hi.'], startFrame: 100, endFrame: 160, line: 3 }]);
  });

  it('puts two rows on 14-15 and three on 13-15', () => {
    const two = decodeScc(encodeScc([{ start: 5, end: 7, lines: ['first row', 'second row'] }]));
    expect(two.captions[0]?.lines).toEqual(['first row', 'second row']);
    const scc = encodeScc([{ start: 5, end: 7, lines: ['a', 'b', 'c'] }]);
    expect(scc).toContain('1376 1376'); // row 13, indent 12 + tab 3: 0x13 0x76
    expect(decodeScc(scc).captions[0]?.lines).toEqual(['a', 'b', 'c']);
  });

  it('sends every control code twice in a row', () => {
    const scc = encodeScc([
      { start: 2, end: 4, lines: ['Café ½ “x”', 'second'] },
      { start: 4, end: 9, lines: ['third ♪♪'] },
    ]);
    for (const line of bodyLines(scc)) {
      const words = line.split('\t')[1]?.split(' ') ?? [];
      for (let i = 0; i < words.length; i++) {
        const word = defined(words[i], `word ${i}`);
        if (((parseInt(word, 16) >> 8) & 0x70) !== 0x10) continue;
        expect(words[i + 1]).toBe(word);
        i++;
      }
    }
  });

  it('lets the next caption replace the current one directly when there is no gap', () => {
    const scc = encodeScc([
      { start: at(100), end: at(200), lines: ['one'] },
      { start: at(200), end: at(300), lines: ['two'] },
    ]);
    expect(scc.match(/942c/g)).toHaveLength(2); // only the final clear
    expect(decodeScc(scc).captions.map((c) => [c.startFrame, c.endFrame])).toEqual([
      [100, 200],
      [200, 300],
    ]);
  });

  it("sends a clear that falls inside the next caption's loading on its own frame, mid-line", () => {
    const scc = encodeScc([
      { start: at(100), end: at(190), lines: ['one'] },
      { start: at(200), end: at(300), lines: ['a longer second caption here'] },
    ]);
    const { captions, problems } = decodeScc(scc);
    expect(problems).toEqual([]);
    expect(captions.map((c) => [c.startFrame, c.endFrame])).toEqual([
      [100, 190],
      [200, 300],
    ]);
  });

  it('never sends that clear between the two halves of a doubled code', () => {
    for (let end = 150; end <= 198; end++) {
      const scc = encodeScc([
        { start: at(100), end: at(end), lines: ['one'] },
        { start: at(200), end: at(300), lines: ['♪ la ♪', 'next ¿row?'] },
      ]);
      const { captions, problems } = decodeScc(scc);
      expect(problems).toEqual([]);
      expect(captions.map((c) => c.lines)).toEqual([['one'], ['♪ la ♪', 'next ¿row?']]);
    }
  });

  it('never overlaps lines when captions come faster than they can be loaded', () => {
    const captions: Caption[] = Array.from({ length: 6 }, (_, i) => ({
      start: at(i * 10),
      end: at(i * 10 + 10),
      lines: [`thirty-two columns of text, #${i}.`, 'and thirty-two more on row two!!'],
    }));
    const decoded = decodeScc(encodeScc(captions));
    expect(decoded.problems).toEqual([]);
    expect(decoded.captions.map((c) => c.lines[0])).toEqual(captions.map((c) => c.lines[0]));
  });

  it('refuses rows wider than the screen', () => {
    expect(() => encodeScc([{ start: 1, end: 2, lines: ['x'.repeat(33)] }])).toThrow(RangeError);
    expect(() => encodeScc([{ start: 1, end: 2, lines: [] }])).toThrow(RangeError);
    expect(() => encodeScc([{ start: 1, end: 2, lines: ['a', 'b', 'c', 'd'] }])).toThrow(/1-3 rows, got 4/);
  });
});

describe('decodeScc problems', () => {
  const header = 'Scenarist_SCC V1.0\n\n';

  it('reports a missing header, bad parity and unknown codes', () => {
    const result = decodeScc('00:00:01;00\t9420 1420 9420 94ae 9479 942f\n');
    expect(result.problems.map((p) => p.message)).toEqual(['first line must be "Scenarist_SCC V1.0"', 'word 2 1420 fails odd parity']);
    const unknown = decodeScc(`${header}00:00:01;00\t9420 9420 1f2c 1f2c 94a2 94a2 8a80\n`);
    expect(unknown.problems.map((p) => [p.line, p.message])).toEqual([[3, 'word 7: 0a00 is not a caption code']]);
    const control = decodeScc(`${header}00:00:01;00\t97a4 97a4\n`);
    expect(control.problems.map((p) => p.message)).toEqual(['word 1: unknown control code 1724']);
  });

  it('reports rows past column 32, overlapping lines and non-drop timecode', () => {
    const text = (n: number): string => Array.from({ length: n }, () => 'c1c1').join(' ');
    const scc = `${header}00:00:01:00\t94ae 9420 94d0 ${text(17)} 942f\n\n00:00:01:05\t942c 942c\n`;
    const { captions, problems } = decodeScc(scc);
    expect(problems.map((p) => p.line)).toEqual([3, 3, 5]);
    expect(problems[0]?.message).toMatch(/row 14 runs past column 32/);
    expect(problems[1]?.message).toMatch(/non-drop-frame timecode .* on 2 line\(s\)/);
    expect(problems[2]?.message).toMatch(/lines overlap/);
    expect(captions[0]?.lines[0]).toHaveLength(32);
  });

  it('reports labels that drop-frame time skips and captions never cleared', () => {
    const { problems } = decodeScc(`${header}00:01:00;00\t9420\n\n00:01:00;02\t9420 9420 9470 9470 c1c1 942f 942f\n`);
    expect(problems.map((p) => p.message)).toEqual([
      '"00:01:00;00" does not exist in drop-frame time (;00 and ;01 are skipped in this minute)',
      'the last caption is never cleared (no EDM at the end)',
    ]);
  });

  it('plays roll-up and paint-on captions too', () => {
    const rollUp = decodeScc(
      `${header}00:00:01;00\t9425 9425 94ad 94ad 9470 9470 c1c1\n\n00:00:02;00\t94ad 94ad 9470 9470 c2c2\n\n00:00:03;00\t942c 942c\n`,
    );
    expect(rollUp.problems).toEqual([]);
    // Rolling "AA" up a row changes nothing a viewer reads, so it stays one caption.
    expect(rollUp.captions.map((c) => c.lines)).toEqual([['AA'], ['AA', 'BB']]);
    const paint = decodeScc(`${header}00:00:01;00\t9429 9429 9470 9470 c1c1 94a1 94a1\n\n00:00:02;00\t942c 942c\n`);
    expect(paint.captions.map((c) => c.lines)).toEqual([['A']]);
  });
});
