/**
 * CEA-608 byte-level facts for caption channel 1: odd parity, the control codes we send,
 * preamble address codes and the three character sets. Tables follow
 * ../shared/reference/scc-cea608.md.
 */

export const SCREEN_ROWS = 15;
export const SCREEN_COLUMNS = 32;

/** Sets bit 7 when the low 7 bits hold an even number of ones, so every byte has odd parity. */
export function withParity(byte: number): number {
  const data = byte & 0x7f;
  return bitCount(data) % 2 === 0 ? data | 0x80 : data;
}

export function hasOddParity(byte: number): boolean {
  return bitCount(byte & 0xff) % 2 === 1;
}

function bitCount(value: number): number {
  let count = 0;
  for (let v = value; v !== 0; v >>= 1) count += v & 1;
  return count;
}

/** A 16-bit SCC word from two 7-bit bytes, parity added. */
export function ccWord(hi: number, lo: number): number {
  return (withParity(hi) << 8) | withParity(lo);
}

export const MISC_CONTROL = {
  RCL: 0x20,
  BS: 0x21,
  AOF: 0x22,
  AON: 0x23,
  DER: 0x24,
  RU2: 0x25,
  RU3: 0x26,
  RU4: 0x27,
  FON: 0x28,
  RDC: 0x29,
  TR: 0x2a,
  RTD: 0x2b,
  EDM: 0x2c,
  CR: 0x2d,
  ENM: 0x2e,
  EOC: 0x2f,
} as const;

/** Channel 1 miscellaneous control codes are 0x14 xx (0x15 xx on field 2, CC3). */
export function controlWord(code: number): number {
  return ccWord(0x14, code);
}

export const RCL = controlWord(MISC_CONTROL.RCL);
export const ENM = controlWord(MISC_CONTROL.ENM);
export const EOC = controlWord(MISC_CONTROL.EOC);
export const EDM = controlWord(MISC_CONTROL.EDM);

/** Tab offset 1-3 columns (0x17 0x21-0x23). */
export function tabOffsetWord(columns: 1 | 2 | 3): number {
  return ccWord(0x17, 0x20 + columns);
}

/** PAC first byte and whether the row uses the upper (0x60-0x7f) second-byte range, rows 1..15. */
const PAC_ROWS: readonly (readonly [hi: number, upper: boolean])[] = [
  [0x11, false],
  [0x11, true],
  [0x12, false],
  [0x12, true],
  [0x15, false],
  [0x15, true],
  [0x16, false],
  [0x16, true],
  [0x17, false],
  [0x17, true],
  [0x10, false],
  [0x13, false],
  [0x13, true],
  [0x14, false],
  [0x14, true],
];

/** Preamble address code: white, row 1..15, indent a multiple of 4 in 0..28. */
export function pacWord(row: number, indent: number): number {
  const entry = PAC_ROWS[row - 1];
  if (!entry || indent % 4 !== 0 || indent < 0 || indent > 28) {
    throw new RangeError(`no PAC for row ${row} indent ${indent}`);
  }
  const [hi, upper] = entry;
  return ccWord(hi, (upper ? 0x70 : 0x50) + indent / 2);
}

/** Row (1..15) of a PAC given its 7-bit bytes, or undefined when the pair is not a PAC. */
export function pacRow(hi: number, lo: number): number | undefined {
  if (hi < 0x10 || hi > 0x17 || lo < 0x40 || lo > 0x7f) return undefined;
  const upper = lo >= 0x60;
  const index = PAC_ROWS.findIndex(([h, u]) => h === hi && u === upper);
  return index < 0 ? undefined : index + 1;
}

/** Indent (columns) a PAC sets; attribute-only PACs (0x40-0x4f) indent 0. */
export function pacIndent(lo: number): number {
  const attribute = lo & 0x1f;
  return attribute >= 0x10 ? ((attribute - 0x10) >> 1) * 4 : 0;
}

const BASIC_OVERRIDES: Readonly<Record<number, string>> = {
  0x2a: 'á',
  0x5c: 'é',
  0x5e: 'í',
  0x5f: 'ó',
  0x60: 'ú',
  0x7b: 'ç',
  0x7c: '÷',
  0x7d: 'Ñ',
  0x7e: 'ñ',
  0x7f: '█',
};

/** Basic set glyph of a 7-bit byte 0x20-0x7f. */
export function basicChar(byte: number): string {
  return BASIC_OVERRIDES[byte] ?? String.fromCharCode(byte);
}

/** Special characters, 0x11 0x30-0x3f; 0x39 is the transparent space. */
export const SPECIAL_CHARS = '®°½¿™¢£♪à\u00a0èâêîôû';

/** Extended characters, 0x12 0x20-0x3f and 0x13 0x20-0x3f. */
export const EXTENDED_CHARS_12 = 'ÁÉÓÚÜü‘¡*’—©℠•“”ÀÂÇÈÊËëÎÏïÔÙùÛ«»';
export const EXTENDED_CHARS_13 = 'ÃãÍÌìÒòÕõ{}\\^_|~ÄäÖöß¥¤¦ÅåØø┌┐└┘';

/**
 * What a decoder without the extended sets shows (the extended code then overwrites it);
 * each is a basic-set character.
 */
const EXTENDED_FALLBACK_12 = 'AEOUUu\'!.\'-cS."""AACEEEeIIiOUuU""';
const EXTENDED_FALLBACK_13 = "AaIIiOoOo[]/'-!-AaOosYo!AaOo++++";

export type CharCode =
  { kind: 'basic'; byte: number } | { kind: 'special'; word: number } | { kind: 'extended'; word: number; fallback: number };

const ENCODING: ReadonlyMap<string, CharCode> = buildEncoding();

function buildEncoding(): Map<string, CharCode> {
  const map = new Map<string, CharCode>();
  const extended = (chars: string, fallbacks: string, hi: number): void => {
    Array.from(chars).forEach((char, i) => {
      const fallback = fallbacks.charCodeAt(i);
      map.set(char, { kind: 'extended', word: ccWord(hi, 0x20 + i), fallback });
    });
  };
  extended(EXTENDED_CHARS_12, EXTENDED_FALLBACK_12, 0x12);
  extended(EXTENDED_CHARS_13, EXTENDED_FALLBACK_13, 0x13);
  Array.from(SPECIAL_CHARS).forEach((char, i) => {
    if (char !== '\u00a0') map.set(char, { kind: 'special', word: ccWord(0x11, 0x30 + i) });
  });
  for (let byte = 0x20; byte <= 0x7f; byte++) map.set(basicChar(byte), { kind: 'basic', byte });
  return map;
}

/** How a character goes on the wire, or undefined when CEA-608 has no glyph for it. */
export function charCode(char: string): CharCode | undefined {
  return ENCODING.get(char);
}

/** Replacements for characters CEA-608 lacks, chosen to read the same on screen. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  '\u2013': '-',
  '\u2012': '-',
  '\u2010': '-',
  '\u2011': '-',
  '\u2212': '-',
  '\u2015': '—',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2007': ' ',
  '\u201a': ',',
  '\u201e': '“',
  '\u2032': "'",
  '\u2033': '"',
  '\u00b4': "'",
  '`': "'",
  '\u00b7': '•',
  '\u00d7': 'x',
  '\u00bc': '1/4',
  '\u00be': '3/4',
  '\u00b1': '+/-',
  '\u201b': "'",
  '\u2039': '<',
  '\u203a': '>',
  '\u2190': '<-',
  '\u2192': '->',
  Œ: 'OE',
  œ: 'oe',
  Æ: 'AE',
  æ: 'ae',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  '€': 'EUR',
  '\u266b': '♪',
  '\u266c': '♪',
};

/** How a piece of text goes to CEA-608, and what it lost on the way. */
export interface SccText {
  /** Characters CEA-608 shows, one column each. */
  text: string;
  /** Characters with no CEA-608 glyph and no fallback, left out (other scripts, emoji). */
  uncarried: number;
  /** Characters shown through a fallback (accent stripped, look-alike or spelled out). */
  approximated: number;
}

/**
 * Rewrites text into characters CEA-608 can show: kept where a glyph exists, otherwise
 * transliterated (accents stripped, typographic punctuation mapped, look-alikes substituted),
 * otherwise left out and counted. One output character is one screen column.
 */
export function toSccText(text: string): SccText {
  let out = '';
  let uncarried = 0;
  let approximated = 0;
  for (const char of text.normalize('NFC')) {
    if (ENCODING.has(char)) {
      out += char;
      continue;
    }
    if (/\s/u.test(char)) {
      out += ' ';
      continue;
    }
    const replacement = TRANSLITERATIONS[char] ?? stripAccents(char);
    if (replacement !== undefined) {
      out += replacement;
      approximated++;
    } else if (!/\p{M}|\p{Cf}/u.test(char)) {
      // Combining marks and format characters (zero-width joiners, variation selectors) take
      // no column of their own; they are part of the character before them.
      uncarried++;
    }
  }
  return { text: out, uncarried, approximated };
}

/** Accents stripped, and compatibility forms (ligatures, superscripts, full-width letters, ⅓) spelled plainly. */
function stripAccents(char: string): string | undefined {
  const stripped = char
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\u2044/gu, '/');
  return stripped !== char && stripped !== '' && Array.from(stripped).every((c) => ENCODING.has(c)) ? stripped : undefined;
}

/** Names viewers know for scripts CEA-608 cannot show, for the note that stands in for a line of them. */
const SCRIPT_NOTES: readonly (readonly [RegExp, string])[] = [
  [/\p{Script=Hiragana}|\p{Script=Katakana}/u, '[Japanese text]'],
  [/\p{Script=Hangul}/u, '[Korean text]'],
  [/\p{Script=Han}/u, '[Chinese text]'],
  [/\p{Script=Cyrillic}/u, '[Cyrillic text]'],
  [/\p{Script=Arabic}/u, '[Arabic text]'],
  [/\p{Script=Hebrew}/u, '[Hebrew text]'],
  [/\p{Script=Greek}/u, '[Greek text]'],
  [/\p{Script=Devanagari}/u, '[Hindi text]'],
  [/\p{Script=Thai}/u, '[Thai text]'],
  [/\p{Script=Ethiopic}/u, '[Amharic text]'],
  [/\p{Extended_Pictographic}/u, '[emoji]'],
];

/**
 * What the SCC shows for a line none of whose words CEA-608 can carry, so viewers see that
 * something is said rather than a blank: "[Chinese text]", "[Cyrillic text]", ...
 */
export function uncarriedNote(line: string): string {
  for (const [script, note] of SCRIPT_NOTES) if (script.test(line)) return note;
  return UNKNOWN_SCRIPT_NOTE;
}

const UNKNOWN_SCRIPT_NOTE = '[text not shown]';
const NOTES = new Set([...SCRIPT_NOTES.map(([, note]) => note), UNKNOWN_SCRIPT_NOTE]);

/** Whether a row read back from an SCC file is one of the notes `uncarriedNote` writes. */
export function isUncarriedNote(row: string): boolean {
  return NOTES.has(row.trim());
}
