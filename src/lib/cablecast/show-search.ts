/** The body of POST /shows/search/advanced for "modified after `since`", oldest change first. */
export function changedSinceSearch(since: string, location?: number): unknown {
  const filters: { field: string; operator: string; searchValue: string }[] = [
    { field: 'lastModified', operator: 'greaterThan', searchValue: since },
  ];
  if (location !== undefined) filters.push({ field: 'location', operator: 'equals', searchValue: String(location) });
  return {
    savedShowSearch: {
      query: {
        groups: [{ orAnd: 'and', filters }],
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
