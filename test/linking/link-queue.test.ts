import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { queueDueLinks } from '../../src/lib/linking/due-links.js';
import { requeueJob } from '../../src/lib/jobs/enqueue-job.js';
import { TEST_DB_KIND } from '../support/database.js';
import { captionedRecording, drainLinks, linkOf, linkWorld, type LinkWorld } from './fixtures.js';
import { stringMatching } from '../support/matchers.js';

let world: LinkWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe(`link-queue against the Cablecast test server (${TEST_DB_KIND})`, () => {
  it('links a Flex-named file by the show id in its name, confirmed by title and date', async () => {
    world = await linkWorld();
    const show = world.server.addShow({ title: 'Birchwood City Council', eventDate: '2022-01-11T19:00:00', reels: [{ length: 3600 }] });
    world.server.addShow({ title: 'Birchwood City Council', eventDate: '2022-01-11T19:00:00', location: 1 });
    const media = await captionedRecording(world, {
      fileName: `${show.id}-1-Birchwood City Council (20220111).mp4`,
      title: 'Birchwood City Council',
      date: '2022-01-11',
      showId: show.id,
      durationSec: 3590,
    });

    const summary = await drainLinks(world);
    expect(summary.succeeded).toBe(1);
    const link = await linkOf(world, media.id);
    expect(link).toMatchObject({ state: 'linked', show_id: show.id, method: 'file-show-id', attempts: 1 });
    expect(link.score).toBeGreaterThan(0.9);
    // The id was confirmed by asking for that show (ids[]); no listing of the location was needed.
    const showQueries = world.server.requests.filter((r) => r.method === 'GET' && r.path.toLowerCase().endsWith('/shows'));
    expect(showQueries.map((r) => new URLSearchParams(r.query).getAll('ids[]'))).toEqual([[String(show.id)]]);
  });

  it('does not trust a leading number that names a show with an unrelated title', async () => {
    world = await linkWorld();
    const unrelated = world.server.addShow({ title: 'Mahtomedi Parks Board', eventDate: '2022-01-11T18:00:00' });
    const right = world.server.addShow({ title: 'Birchwood City Council', eventDate: '2022-01-11T19:00:00' });
    const media = await captionedRecording(world, {
      fileName: `${unrelated.id}-1-Birchwood City Council (20220111).mp4`,
      title: 'Birchwood City Council',
      date: '2022-01-11',
      showId: unrelated.id,
    });

    await drainLinks(world);
    const link = await linkOf(world, media.id);
    expect(link.show_id).toBe(right.id);
    expect(link.method).toBe('fuzzy');
    const output = await world.db
      .selectFrom('jobs')
      .select('output')
      .where('media_id', '=', media.id)
      .where('kind', '=', 'link')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(output.output)).toContain(`names show ${unrelated.id}`);
  });

  it('finds the right show among more candidates than one page holds', async () => {
    world = await linkWorld({ dateWindowDays: 3 });
    // About 140 shows of the location, many in the window, before the right one (listed last by id).
    for (let i = 0; i < 210; i += 1) {
      const day = String(8 + (i % 7)).padStart(2, '0');
      world.server.addShow({
        title: ['Birchwood Planning Commission', 'Birchwood Parks Board', 'Lake Elmo City Council'][i % 3] ?? '',
        eventDate: `2022-01-${day}T19:00:00`,
        location: i % 3 === 2 ? 2 : 1,
      });
    }
    for (let week = 1; week <= 3; week += 1)
      world.server.addShow({ title: 'Birchwood City Council', eventDate: `2022-01-${String(11 + 7 * week).padStart(2, '0')}T19:00:00` });
    const right = world.server.addShow({
      title: 'Birchwood Council Meeting 1/11/22',
      cgTitle: 'Council',
      eventDate: '2022-01-11T19:00:00',
      reels: [{ length: 5400 }],
    });
    const media = await captionedRecording(world, {
      fileName: 'Birchwood City Council (20220111).mp4',
      title: 'Birchwood City Council',
      date: '2022-01-11',
      durationSec: 5380,
    });

    await drainLinks(world);
    const link = await linkOf(world, media.id);
    expect(link).toMatchObject({ state: 'linked', show_id: right.id, method: 'fuzzy' });
    const listings = world.server.requests.filter((r) => r.path.toLowerCase().endsWith('/shows') && r.query.includes('location=1'));
    // Offset 1 once, to learn whether the server counts offset in records or pages.
    expect(listings.map((r) => new URLSearchParams(r.query).get('offset'))).toEqual(['0', '1', '100']);
  });

  it('ends an unmatched transcript in needs_review with suggestions after maxAttempts, then leaves it alone', async () => {
    world = await linkWorld({ maxAttempts: 3, retryHours: 2 });
    for (const title of ['Birchwood Planning Commission', 'Birchwood Parks Board', 'Birchwood Budget Workshop']) {
      world.server.addShow({ title, eventDate: '2022-01-11T19:00:00' });
    }
    const media = await captionedRecording(world, {
      fileName: 'Birchwood Election Canvass (20220111).mp4',
      title: 'Birchwood Election Canvass',
      date: '2022-01-11',
    });

    await drainLinks(world);
    let link = await linkOf(world, media.id);
    expect(link).toMatchObject({ state: 'pending', attempts: 1 });
    expect(link.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 3600_000);
    // Not due yet: nothing is queued again.
    expect(await queueDueLinks(world.db, { writeback: false }, { maxAttempts: 5 })).toEqual([]);

    for (const attempt of [2, 3]) {
      await world.db
        .updateTable('links')
        .set({ next_attempt_at: sql`now() - interval '1 minute'` })
        .where('id', '=', link.id)
        .execute();
      expect(await queueDueLinks(world.db, { writeback: false }, { maxAttempts: 5 })).toEqual([media.id]);
      await drainLinks(world);
      link = await linkOf(world, media.id);
      expect(link.attempts).toBe(attempt);
    }
    expect(link.state).toBe('needs_review');
    const suggestions = link.suggestions as { showId: number; score: number }[];
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.length).toBeLessThanOrEqual(5);
    expect(link.last_error).toMatch(/no show scored/);

    await world.db
      .updateTable('links')
      .set({ next_attempt_at: sql`now() - interval '1 day'` })
      .where('id', '=', link.id)
      .execute();
    expect(await queueDueLinks(world.db, { writeback: false }, { maxAttempts: 5 })).toEqual([]);
    const job = await world.db
      .selectFrom('jobs')
      .selectAll()
      .where('media_id', '=', media.id)
      .where('kind', '=', 'link')
      .executeTakeFirstOrThrow();
    expect(job.state).toBe('succeeded');
    expect(job.output).toMatchObject({ state: 'needs_review' });
  });

  it('writes the captioned custom field once, and not again when it is already there', async () => {
    world = await linkWorld({ writeback: { field: 'Captioned', value: 'Captioned {date}: {file}' } });
    const field = world.server.addShowField('Captioned');
    const other = world.server.addShowField('Producer Notes');
    const show = world.server.addShow({
      title: 'Birchwood City Council',
      eventDate: '2022-01-11T19:00:00',
      customFields: [{ showField: other.id, value: 'keep me' }],
    });
    const media = await captionedRecording(world, {
      fileName: `${show.id}-1-Birchwood City Council (20220111).mp4`,
      title: 'Birchwood City Council',
      date: '2022-01-11',
      showId: show.id,
    });

    await drainLinks(world);
    await requeueJob(world.db, { mediaId: media.id, kind: 'link' }, { maxAttempts: 5 });
    await drainLinks(world);

    const puts = world.server.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]?.authenticated).toBe(true);
    const stored = world.server.state.shows.get(show.id);
    expect(stored?.customFields.map((f) => ({ showField: f.showField, value: f.value }))).toEqual([
      { showField: other.id, value: 'keep me' },
      // {file} is the caption file's name as Cablecast has it, never a path on this host.
      { showField: field.id, value: `Captioned 2022-01-12: ${show.id}-1-Birchwood City Council (20220111).scc` },
    ]);
    const link = await linkOf(world, media.id);
    expect(link.writeback).toMatchObject({ state: 'written', wrote: true, showId: show.id, field: 'Captioned' });

    // A fresh link (as after a database restore) finds the value already on the show: no write.
    await world.db.updateTable('links').set({ writeback: null }).where('id', '=', link.id).execute();
    await requeueJob(world.db, { mediaId: media.id, kind: 'link' }, { maxAttempts: 5 });
    await drainLinks(world);
    expect(world.server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect((await linkOf(world, media.id)).writeback).toMatchObject({ state: 'written', wrote: false });
  });

  it('retries a failed write-back without linking again', async () => {
    // One retry, not the default four: the client's backoff before each would cost seconds.
    world = await linkWorld({ writeback: { field: 'Captioned' } }, {}, { retries: 1 });
    world.server.addShowField('Captioned');
    const show = world.server.addShow({ title: 'Birchwood City Council', eventDate: '2022-01-11T19:00:00' });
    const media = await captionedRecording(world, {
      fileName: `${show.id}-1-Birchwood City Council (20220111).mp4`,
      title: 'Birchwood City Council',
      date: '2022-01-11',
      showId: show.id,
    });
    // Every attempt the client makes (the first and its retry) is refused.
    world.server.inject({ kind: 'status', status: 503, times: 2, match: /^PUT / });

    // Cablecast down is not the job's fault: the link step waits for the next run, the job untouched.
    const down = await drainLinks(world);
    expect(down.deferred).toEqual([
      expect.objectContaining({ dependency: 'cablecast', kinds: ['link'], exitCode: 3, reason: stringMatching(/503/) }),
    ]);
    let link = await linkOf(world, media.id);
    expect(link).toMatchObject({ state: 'linked', show_id: show.id, attempts: 1 });
    expect(link.writeback).toMatchObject({ state: 'failed' });
    const job = await world.db
      .selectFrom('jobs')
      .selectAll()
      .where('media_id', '=', media.id)
      .where('kind', '=', 'link')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ state: 'queued', attempts: 0 });

    const isListing = (r: { method: string; path: string; query: string }) =>
      r.method === 'GET' && /\/shows$/i.test(r.path) && !r.query.includes('ids');
    const listingsBefore = world.server.requests.filter(isListing).length;
    await drainLinks(world);
    link = await linkOf(world, media.id);
    expect(link).toMatchObject({ state: 'linked', attempts: 1 });
    expect(link.writeback).toMatchObject({ state: 'written', wrote: true });
    expect(world.server.requests.filter(isListing).length).toBe(listingsBefore);
  });
});
