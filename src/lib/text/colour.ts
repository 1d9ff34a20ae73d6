import type { Env } from '../config/schema.js';

/**
 * Colour only for a person at a terminal: NO_COLOR (any value) turns it off, FORCE_COLOR
 * (other than "0" or "false") on even through a pipe, as https://no-color.org and Node's
 * own tools do.
 */
export function wantsColour(stream: { isTTY?: boolean | undefined }, env: Env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true;
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, cyan: 36, dim: 2 } as const;
export type Colour = keyof typeof CODES;

export function paint(text: string, colour: Colour): string {
  return `\u001b[${CODES[colour]}m${text}\u001b[0m`;
}

/** The colour of a job state or a recording's outcome: red to act on, yellow to watch, green done. */
export const STATE_COLOURS: Readonly<Record<string, Colour>> = {
  dead: 'red',
  failed: 'red',
  retrying: 'yellow',
  'needs-review': 'yellow',
  needs_review: 'yellow',
  running: 'cyan',
  queued: 'blue',
  waiting: 'blue',
  pending: 'blue',
  succeeded: 'green',
  captioned: 'green',
  linked: 'green',
  cancelled: 'dim',
  'no-speech': 'dim',
  orphaned: 'dim',
};

/** `text` in the colour of `state`, or unchanged when colour is off or the state has none. */
export function paintState(text: string, state: string, colour: boolean): string {
  const c = STATE_COLOURS[state];
  return colour && c !== undefined ? paint(text, c) : text;
}
