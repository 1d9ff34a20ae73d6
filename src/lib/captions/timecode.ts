/**
 * SMPTE timecode at 29.97 frames/s. Frames are counted from 00:00:00;00 at 30000/1001 per
 * second; drop-frame labels skip ;00 and ;01 at the start of each minute not divisible by
 * ten, which keeps the label within a frame of wall-clock time over many hours.
 */
const NOMINAL_FPS = 30;
const FRAMES_PER_10_MINUTES = 17982;
const FRAMES_PER_DROPPED_MINUTE = 1798;
const DROPPED_PER_MINUTE = 2;

export function secondsToFrames(seconds: number): number {
  return Math.max(0, Math.round((seconds * 30000) / 1001));
}

/** The first frame that does not start before `seconds` (a caption is never shown before its first word). */
export function frameAtOrAfter(seconds: number): number {
  return Math.max(0, Math.ceil((seconds * 30000) / 1001 - 1e-6));
}

export function framesToSeconds(frames: number): number {
  return (frames * 1001) / 30000;
}

/** The drop-frame label `HH:MM:SS;FF` of a frame count. */
export function formatDropFrame(frames: number): string {
  if (!Number.isInteger(frames) || frames < 0) {
    throw new RangeError(`frame count must be a non-negative integer, got ${frames}`);
  }
  const tens = Math.floor(frames / FRAMES_PER_10_MINUTES);
  const rest = frames % FRAMES_PER_10_MINUTES;
  const skipped =
    9 * DROPPED_PER_MINUTE * tens +
    (rest > 1 ? DROPPED_PER_MINUTE * Math.floor((rest - DROPPED_PER_MINUTE) / FRAMES_PER_DROPPED_MINUTE) : 0);
  return formatLabel(frames + skipped, ';');
}

export function formatNonDrop(frames: number): string {
  return formatLabel(frames, ':');
}

function formatLabel(label: number, separator: ';' | ':'): string {
  const ff = label % NOMINAL_FPS;
  const totalSeconds = Math.floor(label / NOMINAL_FPS);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600);
  return `${pad(hh)}:${pad(mm)}:${pad(ss)}${separator}${pad(ff)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export type ParsedTimecode = { ok: true; frames: number; dropFrame: boolean } | { ok: false; message: string };

const TIMECODE = /^(\d{2}):(\d{2}):(\d{2})([:;.,])(\d{2})$/;

/**
 * Reads `HH:MM:SS;FF` (drop-frame; `.`/`,` are accepted spellings of it) or `HH:MM:SS:FF`
 * (non-drop, counted as a plain 30-label-per-second frame count) into a frame count.
 */
export function parseTimecode(text: string): ParsedTimecode {
  const match = TIMECODE.exec(text);
  if (!match) return { ok: false, message: `"${text}" is not a HH:MM:SS;FF timecode` };
  const [hh, mm, ss, separator, ff] = [Number(match[1]), Number(match[2]), Number(match[3]), match[4], Number(match[5])];
  if (mm > 59 || ss > 59 || ff >= NOMINAL_FPS) {
    return { ok: false, message: `"${text}" has a field out of range` };
  }
  const label = ((hh * 60 + mm) * 60 + ss) * NOMINAL_FPS + ff;
  if (separator === ':') return { ok: true, frames: label, dropFrame: false };
  const totalMinutes = hh * 60 + mm;
  if (ss === 0 && ff < DROPPED_PER_MINUTE && mm % 10 !== 0) {
    return { ok: false, message: `"${text}" does not exist in drop-frame time (;00 and ;01 are skipped in this minute)` };
  }
  const dropped = DROPPED_PER_MINUTE * (totalMinutes - Math.floor(totalMinutes / 10));
  return { ok: true, frames: label - dropped, dropFrame: true };
}
