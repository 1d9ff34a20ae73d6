/**
 * Reads at an index the caller's loop bounds already keep in range. `noUncheckedIndexedAccess`
 * types every such read as possibly undefined; a broken bound then fails here, naming the index,
 * instead of turning into a NaN or a crash somewhere else.
 */
export function itemAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw outOfRange(index, items.length);
  return item;
}

/**
 * The same for the numeric tables of the caption segmenter's inner loops. A reader of its own
 * keeps each element load to one array kind: one generic reader for arrays and typed arrays
 * alike made segmenting a 3-hour transcript about twice as slow (bench/captions.ts).
 */
export function valueAt(values: Float64Array, index: number): number {
  const value = values[index];
  if (value === undefined) throw outOfRange(index, values.length);
  return value;
}

function outOfRange(index: number, length: number): RangeError {
  return new RangeError(`internal error: index ${index} is outside 0..${length - 1}`);
}
