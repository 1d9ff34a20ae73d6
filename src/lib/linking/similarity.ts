import { titleTokens } from './normalize-title.js';

/** Edit distance, stopping early once it exceeds `max` (only "at most one typo" is asked). */
export function editDistanceAtMost(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? Infinity) + 1, (current[j - 1] ?? Infinity) + 1, (previous[j - 1] ?? Infinity) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return false;
    previous = current;
  }
  return (previous[b.length] ?? Infinity) <= max;
}

/** Long words may differ by one typo ("Councl"); short ones and numbers must be equal. */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length < 5 || b.length < 5 || /\d/.test(a) || /\d/.test(b)) return false;
  return editDistanceAtMost(a, b, 1);
}

/** Dice coefficient over token sets (2|A∩B| / (|A|+|B|)), each token matched at most once. */
export function tokenSetDice(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const unused = [...b];
  let shared = 0;
  for (const token of a) {
    const index = unused.findIndex((other) => sameWord(token, other));
    if (index >= 0) {
      shared += 1;
      unused.splice(index, 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

export function titleSimilarity(a: string, b: string): number {
  return tokenSetDice(titleTokens(a), titleTokens(b));
}
