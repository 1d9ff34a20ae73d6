import { isControl, isLoneSurrogate, replaceCodePoints } from './code-points.js';

export interface TerminalSafeOptions {
  /** Keep line feeds (a stack trace in a log); everything else is still replaced. */
  keepNewlines?: boolean;
}

/** Characters that reorder what follows on screen (bidirectional overrides) or break lines. */
const REORDERING = new Set([0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

/**
 * Makes text from outside (file names, show titles, error messages that quote them) safe to
 * print on a terminal: a terminal acts on ESC, BEL, C1 controls and the rest instead of showing
 * them, so `\e]0;...\a` would retitle the window and `\e[31m` recolour everything after it.
 * Each becomes a visible stand-in: C0 controls and DEL their Unicode control pictures
 * (ESC shows as ␛, so an escape sequence prints as plain text), C1 controls and reordering
 * marks `<U+XXXX>`, a lone surrogate U+FFFD. Printable text, emoji included, is unchanged, and
 * applying it twice changes nothing more.
 */
export function terminalSafe(text: string, options: TerminalSafeOptions = {}): string {
  return replaceCodePoints(text, (char, code) => {
    if (options.keepNewlines === true && char === '\n') return undefined;
    if (code <= 0x1f) return String.fromCodePoint(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    if (isControl(code) || REORDERING.has(code)) return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
    if (isLoneSurrogate(code)) return '\ufffd';
    return undefined;
  });
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, the C1 controls (U+009B is an 8-bit CSI
 * to many terminals) and reordering marks raw. Those can only occur inside JSON strings, so
 * writing them as `\uXXXX` keeps the JSON valid and equal when parsed.
 */
export function escapeJsonForTerminal(json: string): string {
  return replaceCodePoints(json, (_char, code) =>
    (code >= 0x7f && code <= 0x9f) || REORDERING.has(code) ? `\\u${code.toString(16).padStart(4, '0')}` : undefined,
  );
}

/** JSON for stdout (`--json`): parses to the same value, and no character in it acts on a terminal. */
export function stringifyForTerminal(value: unknown, space?: number): string {
  return escapeJsonForTerminal(JSON.stringify(value, null, space));
}
