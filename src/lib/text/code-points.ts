/** C0 controls (NUL to US), DEL and the C1 controls: a terminal acts on them instead of showing them. */
export function isControl(codePoint: number): boolean {
  return codePoint <= 0x1f || (codePoint >= 0x7f && codePoint <= 0x9f);
}

/**
 * Iterating a string by code points yields a surrogate on its own only when it is unpaired:
 * such a string cannot be encoded as UTF-8 (Node writes U+FFFD instead).
 */
export function isLoneSurrogate(codePoint: number): boolean {
  return codePoint >= 0xd800 && codePoint <= 0xdfff;
}

/** Replaces each code point for which `replacement` returns a string; the others are kept. */
export function replaceCodePoints(text: string, replacement: (char: string, codePoint: number) => string | undefined): string {
  let out = '';
  for (const char of text) out += replacement(char, char.codePointAt(0) ?? 0) ?? char;
  return out;
}
