/** One term of a phrase: its lexeme, and how many words after the phrase's first word it stands. */
export interface PhraseTerm {
  lexeme: string;
  offset: number;
}

/** What a hit must contain somewhere: a single word is a phrase of one term. */
export type Phrase = PhraseTerm[];

const TOKEN = /'((?:[^']|'')*)'(?::[*A-D]+)?|<->|<(\d+)>|[&|!()]/gu;

/**
 * The phrases (and single words) a query asks for, from PostgreSQL's text form of the parsed
 * query (`websearch_to_tsquery(...)::text`, e.g. `'patio' <-> 'permit' & !'fee'`), so they are
 * stemmed exactly as the index is. Negated terms (`-fee`) are left out: a hit never holds them.
 */
export function queryPhrases(tsquery: string): Phrase[] {
  const phrases: Phrase[] = [];
  let current: Phrase | undefined;
  let distance: number | undefined;
  let negateNext = false;
  /** For each open parenthesis, whether it was negated; a term inside any negated one is left out. */
  const groups: boolean[] = [];
  for (const match of tsquery.matchAll(TOKEN)) {
    const [token, quoted, n] = match;
    if (quoted !== undefined) {
      const negated = negateNext || groups.includes(true);
      negateNext = false;
      const lexeme = quoted.replace(/''/gu, "'");
      if (current && distance !== undefined) {
        const last = current.at(-1);
        current.push({ lexeme, offset: (last?.offset ?? 0) + distance });
      } else {
        current = [{ lexeme, offset: 0 }];
        if (!negated) phrases.push(current);
      }
      distance = undefined;
    } else if (token === '<->' || n !== undefined) {
      distance = n === undefined ? 1 : Number(n);
    } else if (token === '!') {
      negateNext = true;
    } else if (token === '(') {
      groups.push(negateNext);
      negateNext = false;
      if (distance === undefined) current = undefined;
    } else if (token === ')') {
      groups.pop();
    } else {
      current = undefined;
      distance = undefined;
    }
  }
  return phrases;
}

/** Every lexeme of the phrases, once. */
export function queryLexemes(phrases: readonly Phrase[]): string[] {
  return [...new Set(phrases.flatMap((phrase) => phrase.map((term) => term.lexeme)))];
}
