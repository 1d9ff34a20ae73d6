import { describe, expect, it } from 'vitest';
import { pageThrough } from '../../src/lib/cablecast/paging.js';
import { collect, useCablecast } from './helpers.js';

const world = useCablecast();

function addShows(count: number): number[] {
  return Array.from({ length: count }, (_, i) => world.server.addShow({ title: `Council ${i + 1}` }).id);
}

function offsetsAsked(): string[] {
  return world.server.requests.map((r) => new URLSearchParams(r.query).get('offset') ?? '');
}

describe.each(['records', 'pages'] as const)('paging when the server counts offset in %s', (mode) => {
  // Three a page: stepping the wrong way (3 records or 1 page) drops or repeats shows from the third page on.
  it.each([0, 1, 2, 3, 4, 6, 7, 10, 12])('lists %i shows once each, in order', async (count) => {
    world.server.setOffsetCounts(mode);
    const ids = addShows(count);
    const listed = await collect(world.client({ pageSize: 3 }).listShows());
    expect(listed.map((d) => d.show.id)).toEqual(ids);
  });

  it('steps the way the server counts after one probe at offset 1', async () => {
    world.server.setOffsetCounts(mode);
    addShows(10);
    await collect(world.client({ pageSize: 3 }).listShows());
    expect(offsetsAsked()).toEqual(mode === 'records' ? ['0', '1', '3', '6', '9'] : ['0', '1', '2', '3']);
  });

  it('lists every show with one record a page', async () => {
    world.server.setOffsetCounts(mode);
    const ids = addShows(3);
    expect((await collect(world.client({ pageSize: 1 }).listShows())).map((d) => d.show.id)).toEqual(ids);
    expect(offsetsAsked()).toEqual(['0', '1', '2', '3']);
  });
});

describe('paging defensively', () => {
  it('stops with a warning when the server answers every offset with the same page', async () => {
    const pages = pageThrough({
      pageSize: 2,
      fetchPage: () => Promise.resolve([1, 2]),
      idOf: (id) => id,
      warn: (message, details) => warnings.push({ message, details }),
    });
    const warnings: { message: string; details: Record<string, unknown> }[] = [];
    expect(await collect(pages)).toEqual([1, 2]);
    expect(warnings).toEqual([
      { message: expect.stringContaining('may be incomplete') as unknown, details: expect.objectContaining({ offset: 2 }) as unknown },
    ]);
  });

  it('passes over a record seen twice when the listing shifts between pages', async () => {
    const pages = [[1, 2], [2, 3], [3, 4], [5]];
    const asked: number[] = [];
    const listed = await collect(
      pageThrough({
        pageSize: 2,
        fetchPage: (offset) => {
          asked.push(offset);
          return Promise.resolve(pages[asked.length - 1] ?? []);
        },
        idOf: (id) => id,
        warn: () => undefined,
      }),
    );
    expect(listed).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([0, 1, 2, 4]);
  });
});
