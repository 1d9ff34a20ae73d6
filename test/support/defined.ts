/**
 * The value a test relies on, or a failure naming what was missing. `expect(x).toBeDefined()`
 * checks the same but does not narrow the type, which left tests asserting with `!`.
 */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, got ${String(value)}`);
  return value;
}
