import type { Transcript } from './transcript.js';

/** `keep` (the default) captions what was said; `mask` shows a listed word as its first letter and asterisks. */
export type ProfanityMode = 'keep' | 'mask';

/** Stems masked with their usual endings (-s, -ed, -ing, -er, ...), whole words only. */
export const DEFAULT_PROFANITY: readonly string[] = [
  'fuck',
  'motherfuck',
  'shit',
  'bullshit',
  'bitch',
  'asshole',
  'ass',
  'bastard',
  'cunt',
  'piss',
  'goddamn',
  'prick',
  'twat',
  'wanker',
];

const ENDINGS = ['', 's', 'es', 'ed', 'er', 'ers', 'ing', 'in', 'y', 'ty'];

export interface ProfanityOptions {
  mode?: ProfanityMode;
  /** Stems to mask instead of the default list. */
  words?: readonly string[];
}

export interface ProfanityResult {
  transcript: Transcript;
  masked: number;
}

/**
 * Masks listed words ("f***"), keeping their first letter, their punctuation and their time.
 * Matching ignores case and allows the usual endings, never part of a longer word ("Scunthorpe",
 * "assess" and "classic" are left alone).
 */
export function maskProfanity(transcript: Transcript, options: ProfanityOptions = {}): ProfanityResult {
  if (options.mode !== 'mask') return { transcript, masked: 0 };
  const forms = new Set((options.words ?? DEFAULT_PROFANITY).flatMap((stem) => ENDINGS.map((ending) => stem.toLowerCase() + ending)));
  let masked = 0;
  const words = transcript.words.map((word) => {
    const match = /^([^\p{L}]*)(\p{L}+)([^\p{L}]*)$/u.exec(word.text);
    const core = match?.[2];
    if (!match || !core || !forms.has(core.toLowerCase())) return word;
    masked++;
    return { ...word, text: `${match[1] ?? ''}${core.slice(0, 1)}${'*'.repeat(core.length - 1)}${match[3] ?? ''}` };
  });
  return masked === 0 ? { transcript, masked } : { transcript: { ...transcript, words }, masked };
}
