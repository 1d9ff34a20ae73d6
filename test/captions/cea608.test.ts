import { describe, expect, it } from 'vitest';
import {
  EDM,
  ENM,
  EOC,
  EXTENDED_CHARS_12,
  EXTENDED_CHARS_13,
  RCL,
  SPECIAL_CHARS,
  basicChar,
  charCode,
  codePoints,
  hasOddParity,
  pacIndent,
  pacRow,
  pacWord,
  toCaptionText,
  withParity,
} from '../../src/lib/captions/cea608.js';
import { textWords } from '../../src/lib/captions/scc-encode.js';

const hex = (words: number[]): string => words.map((w) => w.toString(16).padStart(4, '0')).join(' ');

describe('parity', () => {
  it('gives every 7-bit value odd parity without changing its data bits', () => {
    for (let byte = 0; byte < 128; byte++) {
      const sent = withParity(byte);
      expect(hasOddParity(sent)).toBe(true);
      expect(sent & 0x7f).toBe(byte);
    }
  });

  it('matches the reference bytes', () => {
    expect(withParity(0x48)).toBe(0xc8); // H
    expect(withParity(0x69)).toBe(0xe9); // i
    expect(withParity(0x2e)).toBe(0xae); // .
    expect(withParity(0x00)).toBe(0x80);
    expect(hex(textWords('Hi.'))).toBe('c8e9 ae80');
  });

  it('has the documented control codes', () => {
    expect(hex([RCL, ENM, EOC, EDM])).toBe('9420 94ae 942f 942c');
  });
});

describe('preamble address codes', () => {
  const reference = '91d0 9170 92d0 9270 15d0 1570 16d0 1670 97d0 9770 10d0 13d0 1370 94d0 9470'.split(' ');

  it('places rows 1-15 at indent 0 exactly as the reference lists', () => {
    reference.forEach((code, index) => {
      expect(hex([pacWord(index + 1, 0)])).toBe(code);
    });
  });

  it('indents in steps of four and reads back row and indent', () => {
    for (let row = 1; row <= 15; row++) {
      for (let indent = 0; indent <= 28; indent += 4) {
        const word = pacWord(row, indent);
        expect(hasOddParity(word >> 8) && hasOddParity(word & 0xff)).toBe(true);
        expect(pacRow((word >> 8) & 0x7f, word & 0x7f)).toBe(row);
        expect(pacIndent(word & 0x7f)).toBe(indent);
      }
    }
    expect(hex([pacWord(15, 4)])).toBe('94f2');
    expect(() => pacWord(16, 0)).toThrow(RangeError);
    expect(() => pacWord(15, 3)).toThrow(RangeError);
  });
});

describe('character sets', () => {
  it('sends the basic set as single bytes, except the ten positions CEA-608 redefines', () => {
    const redefined = { 0x2a: 'á', 0x5c: 'é', 0x5e: 'í', 0x5f: 'ó', 0x60: 'ú', 0x7b: 'ç', 0x7c: '÷', 0x7d: 'Ñ', 0x7e: 'ñ', 0x7f: '█' };
    for (let byte = 0x20; byte <= 0x7f; byte++) {
      const glyph = (redefined as Record<number, string>)[byte] ?? String.fromCharCode(byte);
      expect(basicChar(byte)).toBe(glyph);
      expect(charCode(glyph)).toEqual({ kind: 'basic', byte });
    }
  });

  it('sends special characters as doubled 0x11 codes', () => {
    codePoints(SPECIAL_CHARS).forEach((char, i) => {
      if (char === '\u00a0') return;
      const word = (withParity(0x11) << 8) | withParity(0x30 + i);
      expect(charCode(char)).toEqual({ kind: 'special', word });
      expect(textWords(char)).toEqual([word, word]);
    });
  });

  it('sends extended characters after a basic fallback, doubled', () => {
    for (const [chars, hi] of [
      [EXTENDED_CHARS_12, 0x12],
      [EXTENDED_CHARS_13, 0x13],
    ] as const) {
      codePoints(chars).forEach((char, i) => {
        const code = charCode(char);
        const word = (withParity(hi) << 8) | withParity(0x20 + i);
        expect(code).toMatchObject({ kind: 'extended', word });
        if (code?.kind !== 'extended') return;
        expect(charCode(String.fromCharCode(code.fallback))).toEqual({ kind: 'basic', byte: code.fallback });
        expect(textWords(char)).toEqual([(withParity(code.fallback) << 8) | 0x80, word, word]);
      });
    }
  });

  it('encodes the characters the old system mangled as themselves', () => {
    expect(hex(textWords('é'))).toBe('dc80');
    expect(hex(textWords('ñ'))).toBe('fe80');
    expect(hex(textWords('½'))).toBe('9132 9132');
    expect(hex(textWords('°'))).toBe('9131 9131');
    expect(hex(textWords('♪'))).toBe('9137 9137');
    expect(hex(textWords('“'))).toBe('a280 92ae 92ae');
    expect(hex(textWords('”'))).toBe('a280 922f 922f');
    expect(hex(textWords('—'))).toBe('ad80 922a 922a');
    expect(hex(textWords('©'))).toBe('e380 92ab 92ab');
    expect(hex(textWords('*'))).toBe('ae80 92a8 92a8');
    expect(hex(textWords('{'))).toBe('5b80 1329 1329');
    expect(hex(textWords('}'))).toBe('5d80 132a 132a');
  });

  it('separates repeated special characters so the second is not taken for a redundant copy', () => {
    expect(hex(textWords('♪♪'))).toBe('9137 9137 9423 9423 9137 9137');
  });

  it('transliterates what CEA-608 cannot show and drops what it cannot approximate', () => {
    expect(toCaptionText('naïve café – “ok”…')).toBe('naïve café - “ok”...');
    expect(toCaptionText('Łódź œuvre ā')).toBe('Lódz oeuvre a');
    expect(toCaptionText('tab\there')).toBe('tab here');
    expect(toCaptionText('emoji 😀 漢字')).toBe('emoji  ');
    expect(toCaptionText('back`tick ~ ^ _ | \\')).toBe("back'tick ~ ^ _ | \\");
  });
});
