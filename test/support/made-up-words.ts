const SYLLABLES = ['ba', 'ko', 'ri', 'mel', 'tan', 'sor', 'vi', 'den', 'lu', 'gar', 'pe', 'nox', 'ha', 'tri', 'mon'];

/**
 * `count` distinct made-up words of three syllables, always the same ones: the names and
 * places of a seeded transcript, rarer than its meeting words, for searches and seeds that
 * need many distinct lexemes.
 */
export function madeUpWords(count: number): string[] {
  const n = SYLLABLES.length;
  return Array.from(
    { length: count },
    (_, i) => `${SYLLABLES[i % n] ?? ''}${SYLLABLES[Math.floor(i / n) % n] ?? ''}${SYLLABLES[Math.floor(i / (n * n)) % n] ?? ''}`,
  );
}
