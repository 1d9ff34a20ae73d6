import { describe, expect, it } from 'vitest';
import { formatDropFrame, formatNonDrop, parseTimecode, secondsToFrames, framesToSeconds } from '../../src/lib/captions/timecode.js';

const frameOf = (label: string): number => {
  const parsed = parseTimecode(label);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.frames;
};

describe('drop-frame timecode', () => {
  it('skips ;00 and ;01 after 00:00:59;29', () => {
    expect(formatDropFrame(1799)).toBe('00:00:59;29');
    expect(formatDropFrame(1800)).toBe('00:01:00;02');
    expect(frameOf('00:01:00;02')).toBe(1800);
  });

  it('keeps ;00 and ;01 at every tenth minute and drops them at every other minute', () => {
    for (let minute = 1; minute < 60 * 4; minute++) {
      const hh = String(Math.floor(minute / 60)).padStart(2, '0');
      const mm = String(minute % 60).padStart(2, '0');
      const label = `${hh}:${mm}:00;${minute % 10 === 0 ? '00' : '02'}`;
      const first = frameOf(label);
      expect(first).toBe(minute * 1800 - 2 * (minute - Math.floor(minute / 10)) + (minute % 10 === 0 ? 0 : 2));
      expect(formatDropFrame(first)).toBe(label);
      expect(formatDropFrame(first - 1)).toMatch(/:59;29$/);
    }
    expect(frameOf('00:10:00;00')).toBe(17982);
    expect(formatDropFrame(17982)).toBe('00:10:00;00');
    expect(formatDropFrame(17981)).toBe('00:09:59;29');
  });

  it('stays exact over three hours', () => {
    expect(secondsToFrames(3 * 3600)).toBe(323676);
    expect(formatDropFrame(323676)).toBe('03:00:00;00');
    expect(formatDropFrame(secondsToFrames(3600))).toBe('01:00:00;00');
    // A drop-frame label reads as wall-clock time within a few frames anywhere in the file.
    for (let seconds = 0; seconds < 3 * 3600 + 600; seconds += 7.31) {
      const [hh, mm, ss, ff] = formatDropFrame(secondsToFrames(seconds)).split(/[:;]/).map(Number) as [number, number, number, number];
      expect(Math.abs(hh * 3600 + mm * 60 + ss + ff / 30 - seconds)).toBeLessThan(0.1);
    }
  });

  it('round-trips every frame of the first 25 minutes and samples up to 10 hours', () => {
    for (let frame = 0; frame < 17982 * 2.5; frame++) expect(frameOf(formatDropFrame(frame))).toBe(frame);
    for (let frame = 0; frame < 30 * 3600 * 10; frame += 977) expect(frameOf(formatDropFrame(frame))).toBe(frame);
  });

  it('rejects labels that do not exist in drop-frame time', () => {
    expect(parseTimecode('00:01:00;00')).toMatchObject({ ok: false });
    expect(parseTimecode('00:01:00;01')).toMatchObject({ ok: false });
    expect(parseTimecode('00:10:00;00')).toMatchObject({ ok: true });
    expect(parseTimecode('00:00:60;00')).toMatchObject({ ok: false });
    expect(parseTimecode('00:00:00;30')).toMatchObject({ ok: false });
    expect(parseTimecode('0:00:00;00')).toMatchObject({ ok: false });
  });

  it('reads non-drop timecode as a plain frame count and says so', () => {
    expect(parseTimecode('01:00:00:00')).toEqual({ ok: true, frames: 108000, dropFrame: false });
    expect(formatNonDrop(108000)).toBe('01:00:00:00');
  });

  it('converts seconds and frames at 30000/1001', () => {
    expect(secondsToFrames(1)).toBe(30);
    expect(secondsToFrames(10)).toBe(300);
    expect(framesToSeconds(30000)).toBeCloseTo(1001, 9);
    expect(secondsToFrames(-1)).toBe(0);
  });
});
