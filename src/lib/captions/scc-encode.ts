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
  toCaptionText,
} from './cea608.js';
import type { Caption } from './segment.js';
import { formatDropFrame, secondsToFrames } from './timecode.js';

export const SCC_HEADER = 'Scenarist_SCC V1.0';
/** Pop-on captions use the bottom rows: 14-15, or 13-15 for three (never more). */
const MAX_ROWS = 3;
const SEPARATOR = controlWord(MISC_CONTROL.AON);

/** One SCC line: the frame its first word is sent on, and its words. */
interface SccLine {
  frame: number;
  words: number[];
}

/**
 * Encodes pop-on captions as a Scenarist SCC file for CEA-608 channel 1. Each caption is
 * loaded off screen ahead of time so its EOC falls on the caption's start frame, and is
 * cleared with EDM at its end unless the next caption replaces it first. When captions
 * come faster than they can be loaded, the later one is sent as soon as the channel is
 * free (lines never overlap).
 */
export function encodeScc(captions: readonly Caption[]): string {
  const lines: SccLine[] = [];
  let free = 0;
  let pendingClear: number | undefined;
  const emit = (frame: number, words: number[]): void => {
    lines.push({ frame, words });
    free = frame + words.length;
  };
  captions.forEach((caption, index) => {
    const show = secondsToFrames(caption.start);
    const load = loadWords(caption.lines);
    if (pendingClear !== undefined) {
      const clearAt = Math.max(pendingClear, free);
      if (clearAt + 2 + load.length <= show) {
        emit(clearAt, [EDM, EDM]);
      } else {
        // The clear falls inside this caption's loading time: send it mid-line, on its frame.
        const frame = Math.max(free, show - load.length - 2);
        let at = Math.min(Math.max(pendingClear - frame, 0), load.length);
        // Never between the two halves of a doubled code: after the EDM the second half is no
        // longer a repeat, so a decoder would act on it again (a special character shown twice).
        if (at > 0 && at < load.length && load[at - 1] === load[at]) at++;
        emit(frame, [...load.slice(0, at), EDM, EDM, ...load.slice(at), EOC, EOC]);
        pendingClear = clearFrame(caption, captions[index + 1], show);
        return;
      }
    }
    emit(Math.max(free, show - load.length), [...load, EOC, EOC]);
    pendingClear = clearFrame(caption, captions[index + 1], show);
  });
  if (pendingClear !== undefined) emit(Math.max(pendingClear, free), [EDM, EDM]);
  return formatScc(lines);
}

/** The frame to clear `caption` on, or undefined when the next caption replaces it directly. */
function clearFrame(caption: Caption, next: Caption | undefined, show: number): number | undefined {
  const end = Math.max(secondsToFrames(caption.end), show + 1);
  if (next && secondsToFrames(next.start) <= end + 1) return undefined;
  return end;
}

function formatScc(lines: readonly SccLine[]): string {
  const body = lines.map((line) => `${formatDropFrame(line.frame)}\t${line.words.map(hex).join(' ')}`);
  return `${SCC_HEADER}\n\n${body.join('\n\n')}\n`;
}

function hex(word: number): string {
  return word.toString(16).padStart(4, '0');
}

/**
 * ENM RCL, then for each row a PAC and its text, all before the EOC. Rows sit at the bottom
 * of the screen as a left-aligned block centred on the widest row.
 */
function loadWords(rawLines: readonly string[]): number[] {
  const rows = rawLines.map((line) => toCaptionText(line).trim()).filter((row) => row !== '');
  if (rows.length === 0 || rows.length > MAX_ROWS) {
    throw new RangeError(`a caption needs 1-${MAX_ROWS} rows, got ${rows.length}`);
  }
  const widest = Math.max(...rows.map((row) => row.length));
  if (widest > SCREEN_COLUMNS) {
    throw new RangeError(`caption row is ${widest} columns, more than ${SCREEN_COLUMNS}: "${rows.find((r) => r.length === widest)}"`);
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
