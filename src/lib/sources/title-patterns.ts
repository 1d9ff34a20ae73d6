import { errorMessage, UsageError } from '../errors.js';

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
  const [, source, flags] = /^\/(.+)\/([a-z]*)$/.exec(pattern) ?? [];
  if (source !== undefined && flags !== undefined) {
    try {
      return new RegExp(source, flags.includes('u') ? flags : `${flags}u`);
    } catch (error) {
      throw new UsageError('invalid configuration', [`${where}: not a valid regular expression: ${errorMessage(error)}`]);
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
