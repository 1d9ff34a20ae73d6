import { UsageError } from '../errors.js';

/**
 * A site's title patterns. A plain pattern matches whole words, case-insensitively, with any
 * run of spaces, dashes or underscores between its words ("white bear lake" matches
 * "White_Bear-Lake Council" but "grant" does not match "Grantsburg"); `/.../flags` is a
 * regular expression. No patterns means every title belongs to the site.
 */
export type TitleMatcher = (title: string) => boolean;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compilePattern(pattern: string, where: string): RegExp {
  const literal = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (literal) {
    try {
      return new RegExp(literal[1]!, literal[2]!.includes('u') ? literal[2]! : `${literal[2]!}u`);
    } catch (error) {
      throw new UsageError('invalid configuration', [`${where}: not a valid regular expression: ${(error as Error).message}`]);
    }
  }
  const words = pattern
    .trim()
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map(escape);
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join('[\\s_-]+')}(?![\\p{L}\\p{N}])`, 'iu');
}

export function titleMatcher(patterns: readonly string[], where: string): TitleMatcher {
  if (patterns.length === 0) return () => true;
  const compiled = patterns.map((p, i) => compilePattern(p, `${where}[${i}]`));
  return (title) => compiled.some((re) => re.test(title));
}
