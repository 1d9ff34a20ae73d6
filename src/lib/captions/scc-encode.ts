import {
  EDM,
  ENM,
  EOC,
  MISC_CONTROL,
  RCL,
  SCREEN_COLUMNS,
  SCREEN_ROWS,
  ccWord,
  charCode,
  controlWord,
  pacWord,
  tabOffsetWord,
  toSccText,
  uncarriedNote,
} from './cea608.js';
import type { Caption } from './segment.js';
import { formatDropFrame, frameAtOrAfter, secondsToFrames } from './timecode.js';

export const SCC_HEADER = 'Scenarist_SCC V1.0';
/** Pop-on captions use the bottom rows: 14-15, or 13-15 for three (never more). */
const MAX_ROWS = 3;
const SEPARATOR = controlWord(MISC_CONTROL.AON);
/** 24:00:00;00: SMPTE timecode has no label at or past it. */
const DAY_FRAMES = secondsToFrames(24 * 3600);

/** One SCC line: the frame its first word is sent on, and its words. */
interface SccLine {
  frame: number;
  words: number[];
}

/** An SCC file and what CEA-608 could not carry of the captions' text (for a warning). */
export interface SccRender {
  text: string;
  /** Characters left out: no CEA-608 glyph and no fallback. */
  uncarried: number;
  /** Characters shown through a fallback (accent stripped, punctuation mapped). */
  approximated: number;
  /** Rows shown as a bracketed note because none of their text could be carried. */
  notes: number;
}

/** The SCC file for `captions`; see `renderScc`. */
export function encodeScc(captions: readonly Caption[]): string {
  return renderScc(captions).text;
}

/**
 * Encodes pop-on captions as a Scenarist SCC file for CEA-608 channel 1. Each caption is
 * loaded off screen ahead of time so its EOC falls on the caption's start frame, and is
 * cleared with EDM at its end unless the next caption replaces it first. When captions
 * come faster than they can be loaded, the later one is sent as soon as the channel is
 * free (lines never overlap) and its clear moves with it, so it keeps its time on screen.
 */
export function renderScc(captions: readonly Caption[]): SccRender {
  if (captions.length === 0) throw new RangeError('no captions: an SCC file needs at least one (a transcript without speech gets none)');
  const lines: SccLine[] = [];
  const totals = { uncarried: 0, approximated: 0, notes: 0 };
  let free = 0;
  let pendingClear: number | undefined;
  const emit = (frame: number, words: number[]): void => {
    if (frame + words.length >= DAY_FRAMES) {
      throw new RangeError(`caption at ${formatDropFrame(Math.min(frame, DAY_FRAMES))} or later: SCC timecodes end before 24:00:00;00`);
    }
    lines.push({ frame, words });
    free = frame + words.length;
  };
  captions.forEach((caption, index) => {
    // Never a frame before the first word: a caption shown early is out of sync.
    const wanted = frameAtOrAfter(caption.start);
    const rows = sccRows(caption.lines);
    totals.uncarried += rows.uncarried;
    totals.approximated += rows.approximated;
    totals.notes += rows.notes;
    const load = loadWords(rows.rows);
    let shown: number;
    if (pendingClear !== undefined && Math.max(pendingClear, free) + 2 + load.length > wanted) {
      // The clear falls inside this caption's loading time: send it mid-line, on its frame.
      const frame = Math.max(free, wanted - load.length - 2);
      let at = Math.min(Math.max(pendingClear - frame, 0), load.length);
      // Never between the two halves of a doubled code: after the EDM the second half is no
      // longer a repeat, so a decoder would act on it again (a special character shown twice).
      if (at > 0 && at < load.length && load[at - 1] === load[at]) at++;
      emit(frame, [...load.slice(0, at), EDM, EDM, ...load.slice(at), EOC, EOC]);
      shown = frame + load.length + 2;
    } else {
      if (pendingClear !== undefined) emit(Math.max(pendingClear, free), [EDM, EDM]);
      const frame = Math.max(free, wanted - load.length);
      emit(frame, [...load, EOC, EOC]);
      shown = frame + load.length;
    }
    pendingClear = clearFrame(captions, index, shown, shown - wanted);
  });
  if (pendingClear !== undefined) emit(Math.max(pendingClear, free), [EDM, EDM]);
  return { text: formatScc(lines), ...totals };
}

/**
 * The frame to clear caption `index` on, or undefined when the next caption replaces it
 * directly. A caption shown `late` frames late is cleared as much later.
 */
function clearFrame(captions: readonly Caption[], index: number, shown: number, late: number): number | undefined {
  const caption = captions[index];
  const end = Math.max(secondsToFrames(caption?.end ?? 0) + late, shown + 1);
  const next = captions[index + 1];
  if (next && frameAtOrAfter(next.start) <= end + 1) return undefined;
  return end;
}

/**
 * Frames the channel needs between the previous caption's EOC and this caption's: its
 * loading, its EOC pair, an EDM pair for the previous caption, and one frame for rounding
 * seconds to frames. Captions timed this far apart are never shown late.
 */
export function sccLoadFrames(lines: readonly string[]): number {
  return loadWords(sccRows(lines).rows).length + 5;
}

function formatScc(lines: readonly SccLine[]): string {
  const body = lines.map((line) => `${formatDropFrame(line.frame)}\t${line.words.map(hex).join(' ')}`);
  return `${SCC_HEADER}\n\n${body.join('\n\n')}\n`;
}

function hex(word: number): string {
  return word.toString(16).padStart(4, '0');
}

/**
 * Each line as CEA-608 shows it, spaces collapsed. A line with letters or digits none of which
 * CEA-608 can carry shows a bracketed note instead of a blank ("[Chinese text]").
 */
function sccRows(lines: readonly string[]): { rows: string[]; uncarried: number; approximated: number; notes: number } {
  const rows: string[] = [];
  let uncarried = 0;
  let approximated = 0;
  let notes = 0;
  for (const line of lines) {
    const rendered = toSccText(line);
    uncarried += rendered.uncarried;
    approximated += rendered.approximated;
    const row = rendered.text.replace(/ {2,}/gu, ' ').trim();
    if (rendered.uncarried > 0 && !/[\p{L}\p{N}♪]/u.test(row)) {
      rows.push(uncarriedNote(line));
      notes++;
    } else if (row !== '') {
      rows.push(row);
    }
  }
  return { rows, uncarried, approximated, notes };
}

/**
 * ENM RCL, then for each row a PAC and its text, all before the EOC. Rows sit at the bottom
 * of the screen as a left-aligned block centred on the widest row.
 */
function loadWords(rows: readonly string[]): number[] {
  if (rows.length === 0 || rows.length > MAX_ROWS) {
    throw new RangeError(`a caption needs 1-${MAX_ROWS} rows, got ${rows.length}`);
  }
  const widest = Math.max(...rows.map((row) => row.length));
  if (widest > SCREEN_COLUMNS) {
    throw new RangeError(`caption row is ${widest} columns, more than ${SCREEN_COLUMNS}: "${rows.find((r) => r.length === widest) ?? ''}"`);
  }
  const indent = Math.floor((SCREEN_COLUMNS - widest) / 2);
  const words = [ENM, ENM, RCL, RCL];
  rows.forEach((row, index) => {
    const pac = pacWord(SCREEN_ROWS - rows.length + 1 + index, indent - (indent % 4));
    words.push(pac, pac);
    const tab = indent % 4;
    if (tab === 1 || tab === 2 || tab === 3) words.push(tabOffsetWord(tab), tabOffsetWord(tab));
    words.push(...textWords(row));
  });
  return words;
}

/**
 * Characters two to a word; special and extended characters as doubled two-byte codes,
 * each extended one after its basic fallback. Identical special codes in a row are split
 * by a doubled no-op code (AON, reserved and ignored by decoders), or a decoder would take
 * the second character for the redundant repeat of the first (null words do not separate
 * them: FFmpeg's decoder skips nulls before its repeat check).
 */
export function textWords(text: string): number[] {
  const words: number[] = [];
  let pending: number | undefined;
  const flush = (): void => {
    if (pending !== undefined) words.push(ccWord(pending, 0));
    pending = undefined;
  };
  const basic = (byte: number): void => {
    if (pending === undefined) {
      pending = byte;
    } else {
      words.push(ccWord(pending, byte));
      pending = undefined;
    }
  };
  for (const char of text) {
    const code = charCode(char);
    if (!code) throw new RangeError(`no CEA-608 code for "${char}"`);
    if (code.kind === 'basic') {
      basic(code.byte);
      continue;
    }
    if (code.kind === 'extended') basic(code.fallback);
    flush();
    if (words.at(-1) === code.word) words.push(SEPARATOR, SEPARATOR);
    words.push(code.word, code.word);
  }
  flush();
  return words;
}
