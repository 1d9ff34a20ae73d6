import type { z } from 'zod';

/** Renders a zod path the way people write it: `sites[0].share`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** zod's issues in the words of a person editing the file. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      // zod does not keep the input by default; its message still says what it received.
      const received = /received (\w+)/.exec(issue.message)?.[1];
      return received === 'undefined'
        ? `required (${withArticle(issue.expected)})`
        : `expected ${withArticle(issue.expected)}${received ? `, got ${received}` : ''}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return issue.message;
  }
}

/** One line per problem, each naming its field. */
export function configProblems(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => `${prefix}${formatPath(issue.path)}: ${describeIssue(issue)}`);
}
