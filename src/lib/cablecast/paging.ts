/**
 * Walks an `offset`/`page_size` listing without looping or dropping records, whatever the
 * server makes of `offset`. The API documentation says it is the index of the first record;
 * Tightrope's public site sends a page index (trms/cablecast-public-site, routes/search.js:
 * `offset: page - 1`). Stepping by records on a server that counts pages would skip almost
 * everything (offset 100 = page 100) without any sign, so after a full first page this asks
 * for offset 1 once: counting records, that answer starts with the first page's second
 * record (ids already seen); counting pages, it is the second page (none seen). Then:
 * - a short page ends the listing (meta.count ignores filters on real servers);
 * - ids already seen are passed over, and a page with nothing new ends the listing with a
 *   warning instead of asking for the same records forever.
 */

export type OffsetMeaning = 'records' | 'pages';

export interface PagingOptions<T> {
  pageSize: number;
  fetchPage: (offset: number) => Promise<readonly T[]>;
  idOf: (item: T) => number;
  /** Told when the listing stops early, and how the server counts. */
  warn: (message: string, details: Record<string, unknown>) => void;
  /** Told which way the server reads `offset`, once it is known. */
  learned?: (meaning: OffsetMeaning) => void;
}

export async function* pageThrough<T>(options: PagingOptions<T>): AsyncGenerator<T> {
  const { pageSize, fetchPage, idOf } = options;
  const seen = new Set<number>();
  const unseen = (page: readonly T[]): T[] =>
    page.filter((item) => {
      const id = idOf(item);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });

  const first = await fetchPage(0);
  yield* unseen(first);
  if (first.length < pageSize) return;

  const probe = await fetchPage(1);
  const countsPages = pageSize > 1 && probe.every((item) => !seen.has(idOf(item)));
  const meaning: OffsetMeaning = countsPages ? 'pages' : 'records';
  options.learned?.(meaning);
  yield* unseen(probe);
  // Either way the probe reached as far as a second page would have.
  if (probe.length < pageSize) return;

  const step = countsPages ? 1 : pageSize;
  // With one record a page both readings agree, and the probe was offset 1 already.
  for (let offset = countsPages ? 2 : Math.max(pageSize, 2); ; offset += step) {
    const page = await fetchPage(offset);
    const fresh = unseen(page);
    yield* fresh;
    if (page.length < pageSize) return;
    if (fresh.length === 0) {
      options.warn('a full page brought only records already listed; stopping here, the listing may be incomplete', {
        offset,
        pageSize,
        offsetCounts: meaning,
        listed: seen.size,
      });
      return;
    }
  }
}
