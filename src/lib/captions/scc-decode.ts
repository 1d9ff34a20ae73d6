import {
  EXTENDED_CHARS_12,
  EXTENDED_CHARS_13,
  MISC_CONTROL,
  SCREEN_COLUMNS,
  SCREEN_ROWS,
  SPECIAL_CHARS,
  basicChar,
  hasOddParity,
  pacIndent,
  pacRow,
} from './cea608.js';
import { SCC_HEADER } from './scc-encode.js';
import type { Caption } from './segment.js';
import { formatDropFrame, framesToSeconds, parseTimecode } from './timecode.js';

export interface SccProblem {
  /** 1-based line of the SCC file. */
  line: number;
  message: string;
}

/** A caption as played back: seconds, plus the exact frames and the SCC line that showed it. */
export interface DecodedCaption extends Caption {
  startFrame: number;
  endFrame: number;
  line: number;
}

export interface DecodedScc {
  captions: DecodedCaption[];
  problems: SccProblem[];
}

type Mode = 'pop-on' | 'roll-up' | 'paint-on' | 'text';
type Memory = (string | undefined)[][];

const LINE = /^(\S+)(\s)(.*)$/;
const WORD = /^[0-9a-fA-F]{4}$/;
/** `00:00:01;02<tab>9420 9420 ...`: what every SCC caption line looks like. */
const SCC_DATA_LINE = /^\s*\d{2}:\d{2}:\d{2}[:;.]\d{2}\s+[0-9a-fA-F]{4}(?:\s|$)/;

/**
 * Plays an SCC file through a CEA-608 channel 1 decoder (pop-on, paint-on and roll-up),
 * timing each word at one frame per word from its line's timecode, and lists everything
 * a broadcast decoder would trip on.
 */
export function decodeScc(text: string): DecodedScc {
  const decoder = new Decoder();
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  const headed = headerIndex >= 0 && lines[headerIndex]?.trim() === SCC_HEADER;
  // An SRT or a transcript would otherwise be reported line by line, burying the one thing wrong.
  if (!headed && !lines.some((l) => SCC_DATA_LINE.test(l))) {
    return {
      captions: [],
      problems: [{ line: 1, message: `not an SCC file (no "${SCC_HEADER}" line and no timecoded lines of hex words)` }],
    };
  }
  if (!headed) {
    decoder.problem(headerIndex + 1 || 1, `first line must be "${SCC_HEADER}"`);
  }
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || (index === headerIndex && line === SCC_HEADER)) return;
    decoder.line(index + 1, raw);
  });
  return decoder.finish();
}

class Decoder {
  readonly captions: DecodedCaption[] = [];
  readonly problems: SccProblem[] = [];
  private displayed: Memory = emptyMemory();
  private hidden: Memory = emptyMemory();
  private mode: Mode = 'pop-on';
  private rollRows = 2;
  private row = SCREEN_ROWS;
  private column = 0;
  private channel: 1 | 2 = 1;
  private previousControl: number | undefined;
  private previousWasRepeat = false;
  private free = 0;
  private lineNumber = 0;
  private overflowReported = false;
  private displayChangedAt: number | undefined;
  private open: { lines: string[]; startFrame: number; line: number } | undefined;
  private nonDrop: { first: number; count: number } | undefined;

  problem(line: number, message: string): void {
    this.problems.push({ line, message });
  }

  line(lineNumber: number, raw: string): void {
    this.lineNumber = lineNumber;
    this.overflowReported = false;
    const match = LINE.exec(raw.trim());
    if (!match) {
      this.problem(lineNumber, `expected "HH:MM:SS;FF<TAB>words", got "${raw.trim().slice(0, 40)}"`);
      return;
    }
    const [, label = '', separator, body = ''] = match;
    const timecode = parseTimecode(label);
    if (!timecode.ok) {
      this.problem(lineNumber, timecode.message);
      return;
    }
    if (separator !== '\t') this.problem(lineNumber, 'timecode must be followed by a tab');
    if (!timecode.dropFrame) {
      this.nonDrop ??= { first: lineNumber, count: 0 };
      this.nonDrop.count++;
    }
    if (timecode.frames < this.free) {
      this.problem(
        lineNumber,
        `starts at ${label} (frame ${timecode.frames}) before the previous line has been sent (frame ${this.free}): lines overlap`,
      );
    }
    const words = body.trim().split(/\s+/);
    words.forEach((word, index) => {
      const frame = timecode.frames + index;
      if (!WORD.test(word)) {
        this.problem(lineNumber, `word ${index + 1} "${word}" is not four hex digits`);
        return;
      }
      const value = Number.parseInt(word, 16);
      const hi = value >> 8;
      const lo = value & 0xff;
      if (!hasOddParity(hi) || !hasOddParity(lo)) {
        this.problem(lineNumber, `word ${index + 1} ${word.toLowerCase()} fails odd parity`);
        return;
      }
      this.pair(hi & 0x7f, lo & 0x7f, frame, index + 1);
    });
    this.free = timecode.frames + words.length;
    if (this.displayChangedAt !== undefined) this.commit(this.displayChangedAt);
  }

  finish(): DecodedScc {
    if (this.open) {
      this.problem(this.open.line, 'the last caption is never cleared (no EDM at the end)');
      this.close(this.free);
    }
    if (this.nonDrop) {
      this.problem(
        this.nonDrop.first,
        `non-drop-frame timecode (HH:MM:SS:FF) on ${this.nonDrop.count} line(s): ` +
          'at 29.97 frames/s it drifts 3.6 s an hour from the video; use drop-frame (HH:MM:SS;FF)',
      );
    }
    this.problems.sort((a, b) => a.line - b.line);
    return { captions: this.captions, problems: this.problems };
  }

  private pair(hi: number, lo: number, frame: number, position: number): void {
    if (hi === 0 && lo === 0) return;
    if (hi >= 0x10 && hi <= 0x1f) {
      const code = (hi << 8) | lo;
      // Control codes are sent twice; the second of an identical pair is a repeat, not a new command.
      if (code === this.previousControl && !this.previousWasRepeat) {
        this.previousWasRepeat = true;
        return;
      }
      this.previousControl = code;
      this.previousWasRepeat = false;
      this.channel = hi & 0x08 ? 2 : 1;
      if (this.channel === 1) this.control(hi & 0x17, lo, frame, position);
      return;
    }
    this.previousControl = undefined;
    if (hi < 0x20 && hi !== 0) {
      this.problem(this.lineNumber, `word ${position}: ${hex2(hi)}${hex2(lo)} is not a caption code`);
      return;
    }
    if (this.channel !== 1) return;
    for (const byte of [hi, lo]) {
      if (byte >= 0x20) this.write(basicChar(byte), frame);
      else if (byte !== 0) this.problem(this.lineNumber, `word ${position}: byte ${hex2(byte)} is not a character`);
    }
  }

  private control(hi: number, lo: number, frame: number, position: number): void {
    const row = pacRow(hi, lo);
    if (row !== undefined) {
      this.row = row;
      this.column = pacIndent(lo);
      return;
    }
    if (hi === 0x11 && lo >= 0x20 && lo <= 0x2f) {
      this.write(' ', frame); // a mid-row style change takes a column
      return;
    }
    if (hi === 0x11 && lo >= 0x30 && lo <= 0x3f) {
      const special = SPECIAL_CHARS.charAt(lo - 0x30);
      this.write(special === '\u00a0' ? ' ' : special, frame);
      return;
    }
    if ((hi === 0x12 || hi === 0x13) && lo >= 0x20 && lo <= 0x3f) {
      // An extended character replaces the basic fallback sent just before it.
      if (this.column > 0) this.column--;
      this.write((hi === 0x12 ? EXTENDED_CHARS_12 : EXTENDED_CHARS_13).charAt(lo - 0x20), frame);
      return;
    }
    if ((hi === 0x14 || hi === 0x15) && lo >= 0x20 && lo <= 0x2f) {
      this.misc(lo, frame);
      return;
    }
    if (hi === 0x17 && lo >= 0x21 && lo <= 0x23) {
      this.column = Math.min(SCREEN_COLUMNS - 1, this.column + lo - 0x20);
      return;
    }
    // Background and foreground attributes change colour only.
    if ((hi === 0x10 && lo >= 0x20 && lo <= 0x2f) || (hi === 0x17 && lo >= 0x2d && lo <= 0x2f)) return;
    this.problem(this.lineNumber, `word ${position}: unknown control code ${hex2(hi)}${hex2(lo)}`);
  }

  private misc(code: number, frame: number): void {
    switch (code) {
      case MISC_CONTROL.RCL:
        this.mode = 'pop-on';
        return;
      case MISC_CONTROL.RDC:
        this.mode = 'paint-on';
        return;
      case MISC_CONTROL.RU2:
      case MISC_CONTROL.RU3:
      case MISC_CONTROL.RU4:
        this.mode = 'roll-up';
        this.rollRows = code - MISC_CONTROL.RU2 + 2;
        return;
      case MISC_CONTROL.TR:
      case MISC_CONTROL.RTD:
        this.mode = 'text';
        return;
      case MISC_CONTROL.BS: {
        const memory = this.writing();
        if (memory && this.column > 0) {
          this.column--;
          setCell(memory, this.row, this.column, undefined);
          this.touched(memory, frame);
        }
        return;
      }
      case MISC_CONTROL.DER: {
        const memory = this.writing();
        if (memory) {
          for (let c = this.column; c < SCREEN_COLUMNS; c++) setCell(memory, this.row, c, undefined);
          this.touched(memory, frame);
        }
        return;
      }
      case MISC_CONTROL.EDM:
        this.displayed = emptyMemory();
        this.commit(frame);
        return;
      case MISC_CONTROL.ENM:
        this.hidden = emptyMemory();
        return;
      case MISC_CONTROL.EOC:
        [this.displayed, this.hidden] = [this.hidden, this.displayed];
        this.column = 0;
        this.commit(frame);
        return;
      case MISC_CONTROL.CR:
        if (this.mode === 'roll-up') {
          this.rollUp();
          this.touched(this.displayed, frame);
        }
        this.column = 0;
        return;
      default:
        // AOF, AON (reserved) and FON (flash) change nothing on screen.
        return;
    }
  }

  private rollUp(): void {
    const top = Math.max(1, this.row - this.rollRows + 1);
    for (let r = 1; r <= SCREEN_ROWS; r++) {
      if (r < top || r > this.row) this.displayed[r - 1] = emptyRow();
    }
    for (let r = top; r < this.row; r++) this.displayed[r - 1] = this.displayed[r] ?? emptyRow();
    this.displayed[this.row - 1] = emptyRow();
  }

  private writing(): Memory | undefined {
    if (this.mode === 'text') return undefined;
    return this.mode === 'pop-on' ? this.hidden : this.displayed;
  }

  private write(char: string, frame: number): void {
    const memory = this.writing();
    if (!memory) return;
    if (this.column >= SCREEN_COLUMNS) {
      if (!this.overflowReported) {
        this.problem(this.lineNumber, `row ${this.row} runs past column ${SCREEN_COLUMNS}; the decoder overwrites the last column`);
        this.overflowReported = true;
      }
      this.column = SCREEN_COLUMNS - 1;
    }
    setCell(memory, this.row, this.column, char);
    this.column++;
    this.touched(memory, frame);
  }

  private touched(memory: Memory, frame: number): void {
    if (memory === this.displayed) this.displayChangedAt ??= frame;
  }

  /** Records what is on screen from `frame` on, closing the caption it replaces. */
  private commit(frame: number): void {
    this.displayChangedAt = undefined;
    const lines = render(this.displayed);
    if (this.open && sameLines(this.open.lines, lines)) return;
    this.close(frame);
    if (lines.length > 0) this.open = { lines, startFrame: frame, line: this.lineNumber };
  }

  private close(frame: number): void {
    if (!this.open) return;
    this.captions.push({
      start: framesToSeconds(this.open.startFrame),
      end: framesToSeconds(frame),
      lines: this.open.lines,
      startFrame: this.open.startFrame,
      endFrame: frame,
      line: this.open.line,
    });
    this.open = undefined;
  }
}

function emptyRow(): (string | undefined)[] {
  return new Array<string | undefined>(SCREEN_COLUMNS).fill(undefined);
}

function emptyMemory(): Memory {
  return Array.from({ length: SCREEN_ROWS }, emptyRow);
}

function setCell(memory: Memory, row: number, column: number, value: string | undefined): void {
  const cells = memory[row - 1];
  if (cells) cells[column] = value;
}

function render(memory: Memory): string[] {
  return memory
    .map((cells) =>
      cells
        .map((c) => c ?? ' ')
        .join('')
        .trim(),
    )
    .filter((line) => line !== '');
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** `00:00:01;02 --> 00:00:03;15  first row / second row` for people reading a check. */
export function describeCaption(caption: DecodedCaption): string {
  return `${formatDropFrame(caption.startFrame)} --> ${formatDropFrame(caption.endFrame)}  ${caption.lines.join(' / ')}`;
}
