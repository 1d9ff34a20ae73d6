/**
 * The body of POST /shows/search/advanced for "modified after `since`", oldest change first,
 * as trms/wp-cablecast sends it. Only the `lastModified` filter is confirmed: a server may
 * answer 400 to any other, so callers filter by location (and anything else) themselves.
 */
export function changedSinceSearch(since: string): unknown {
  return {
    savedShowSearch: {
      query: {
        groups: [{ orAnd: 'and', filters: [{ field: 'lastModified', operator: 'greaterThan', searchValue: since }] }],
        sortOptions: [{ field: 'lastModified', descending: false }],
      },
      name: '',
    },
  };
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
