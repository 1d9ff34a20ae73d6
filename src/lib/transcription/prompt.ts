import type { EngineKind } from './engine-config.js';

/**
 * Tokens of prompt the engines keep: openai-whisper and faster-whisper keep the last
 * n_text_ctx / 2 - 1 = 223 tokens of it, whisper.cpp n_text_ctx / 2 = 224. We stay within the
 * smaller, and count tokens by an estimate that does not undercount, so nothing we choose
 * is cut by the engine (which would cut from the front: the show's title first).
 */
export const ENGINE_PROMPT_TOKENS = 223;

export interface PromptInput {
  /**
   * The shows' titles ("White Bear Lake City Council"): most specific, they go first. One
   * engine run transcribes a batch of recordings with one prompt, so it names each of them.
   */
  titles?: readonly string[];
  /** Vocabulary lists, most specific first (the site's, then the station's): names, places. */
  vocabulary: readonly (readonly string[])[];
  maxTokens?: number;
}

export interface EnginePrompt {
  /** The text for `--initial_prompt` / `--prompt`; empty when there is nothing to say. */
  prompt: string;
  /** Upper bound on its length in Whisper tokens. */
  estimatedTokens: number;
  /** Titles and terms left out for lack of room, for a warning. */
  omitted: string[];
}

/**
 * Builds the engine prompt from the shows' titles and vocabulary terms, most specific first,
 * each once (ignoring case), as long as the estimate stays within the engine's limit.
 * Whisper reads a prompt as text that came before, so it is written as title sentences and a
 * comma-separated list: "White Bear Lake City Council. Mayor Dan Louismet, Kowalczyk, Hoffman Road."
 */
export function buildEnginePrompt(input: PromptInput): EnginePrompt {
  const maxTokens = input.maxTokens ?? ENGINE_PROMPT_TOKENS;
  const seen = new Set<string>();
  const fresh = (raw: string): string | undefined => {
    const text = raw.trim().replace(/\s+/gu, ' ');
    const key = text.toLowerCase();
    if (text === '' || seen.has(key)) return undefined;
    seen.add(key);
    return text;
  };
  const omitted: string[] = [];
  let prompt = '';
  for (const raw of input.titles ?? []) {
    const title = fresh(raw);
    if (title === undefined) continue;
    const candidate = join(prompt, withFullStop(title));
    if (estimateTokens(candidate) <= maxTokens) prompt = candidate;
    else omitted.push(title);
  }
  let listed = '';
  for (const list of input.vocabulary) {
    for (const raw of list) {
      const term = fresh(raw);
      if (term === undefined) continue;
      const candidate = listed === '' ? term : `${listed}, ${term}`;
      if (estimateTokens(join(prompt, withFullStop(candidate))) <= maxTokens) listed = candidate;
      else omitted.push(term);
    }
  }
  const text = join(prompt, listed === '' ? '' : withFullStop(listed));
  return { prompt: text, estimatedTokens: estimateTokens(text), omitted };
}

/**
 * The engine's flag for a prompt: `--prompt <text>` for whisper.cpp (its argument loop takes
 * the next argument whatever it is), `--initial_prompt=<text>` for openai-whisper and
 * faster-whisper, in one argument so that argparse never takes a prompt starting with "-"
 * for an option.
 */
export function enginePromptArgs(kind: EngineKind, prompt: string): string[] {
  if (prompt === '') return [];
  return kind === 'whisper-cpp' ? ['--prompt', prompt] : [`--initial_prompt=${prompt}`];
}

/**
 * An upper estimate of Whisper's (GPT-2 byte-level BPE) token count. Text is cut where the
 * tokenizer's pre-tokenizer cuts (a letter run, a digit run, a punctuation run, each with
 * its leading space); a Latin letter run is counted as a token per two letters (merges cover
 * at least that in names the vocabulary has never seen; a run without vowels, a token per
 * letter), digits and punctuation as one each,
 * and any other character as one token per UTF-8 byte (the worst BPE can do).
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(/ ?[A-Za-z]+| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+/gu)) {
    const piece = match[0].trimStart();
    if (piece === '') {
      tokens++;
    } else if (/^[A-Za-z]+$/u.test(piece)) {
      tokens += /[aeiouy]/iu.test(piece) ? Math.ceil(piece.length / 2) : piece.length;
    } else if (/^[\x21-\x7e]+$/u.test(piece)) {
      tokens += piece.length;
    } else {
      tokens += Buffer.byteLength(piece, 'utf8');
    }
  }
  return tokens;
}

function withFullStop(text: string): string {
  return /[.!?]$/u.test(text) ? text : `${text}.`;
}

function join(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a} ${b}`;
}
