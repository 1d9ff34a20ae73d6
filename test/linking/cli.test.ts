import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DB_KIND } from '../support/database.js';
import { captionedRecording, linkOf, linkWorld, type LinkWorld } from './fixtures.js';

let world: LinkWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe(`archivist link-queue and cleanup-orphaned (${TEST_DB_KIND})`, () => {
  it('previews, links by hand over an earlier link, writes back, and reports states', async () => {
    world = await linkWorld({ writeback: { field: 'Captioned', value: 'Captioned {date}' } });
    const field = world.server.addShowField('Captioned');
    const wrong = world.server.addShow({ title: 'Birchwood City Council', eventDate: '2022-01-11T19:00:00' });
    const right = world.server.addShow({ title: 'Birchwood Special Session', eventDate: '2022-01-11T21:00:00' });
    const media = await captionedRecording(world, {
      fileName: `${wrong.id}-1-Birchwood City Council (20220111).mp4`,
      title: 'Birchwood City Council',
      date: '2022-01-11',
      showId: wrong.id,
    });
    const config = ['--config', world.configFile];

    const dry = await world.testDb.run([...config, '--json', 'link-queue', '--dry-run'], {});
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual([
      expect.objectContaining({
        mediaId: media.id,
        outcome: 'link',
        showId: wrong.id,
        method: 'file-show-id',
        writeback: 'would set Captioned = "Captioned 2022-01-12"',
      }),
    ]);
    expect(world.server.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);

    const drained = await world.testDb.run([...config, 'link-queue'], {});
    expect(drained.exitCode, drained.stderr).toBe(0);
    expect(drained.stdout).toContain('link jobs: 1 done');
    expect(world.server.state.shows.get(wrong.id)?.customFields).toEqual([{ showField: field.id, value: 'Captioned 2022-01-12' }]);

    const byHand = await world.testDb.run([...config, 'link-queue', '--link', `media:${media.id}`, '--show', String(right.id)], {});
    expect(byHand.exitCode, byHand.stderr).toBe(0);
    expect(byHand.stdout).toContain(`show:        ${right.id} (manual)`);
    expect(world.server.state.shows.get(right.id)?.customFields).toEqual([{ showField: field.id, value: 'Captioned 2022-01-12' }]);

    const status = await world.testDb.run([...config, 'link-queue', '--status'], {});
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`linked\\s.*${right.id}\\s.*manual`));
    const one = await world.testDb.run([...config, '--json', 'link-queue', '--status', String(media.id)], {});
    expect(JSON.parse(one.stdout)).toMatchObject({
      mediaId: media.id,
      state: 'linked',
      showId: right.id,
      method: 'manual',
      writeback: { state: 'written' },
    });

    const missingShow = await world.testDb.run([...config, 'link-queue', '--link', `media:${media.id}`, '--show', '999999'], {});
    expect(missingShow.exitCode).toBe(2);
    expect(missingShow.stderr).toContain('Cablecast has no show 999999');
    const unknown = await world.testDb.run([...config, 'link-queue', '--status', 'media:4242'], {});
    expect(unknown.exitCode).toBe(2);

    world.server.state.shows.delete(right.id);
    const preview = await world.testDb.run([...config, 'cleanup-orphaned', '--dry-run'], {});
    expect(preview.exitCode, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('link orphaned');
    expect(preview.stdout).toContain('dry run: nothing was changed');
    const cleaned = await world.testDb.run([...config, '--json', 'cleanup-orphaned'], {});
    expect(cleaned.exitCode, cleaned.stderr).toBe(0);
    expect((JSON.parse(cleaned.stdout) as { changes: unknown }).changes).toEqual([
      expect.objectContaining({ action: 'orphan-link', showId: right.id }),
    ]);
    expect((await linkOf(world, media.id)).state).toBe('orphaned');
  });

  it('exits 2 when the write-back field does not exist in Cablecast', async () => {
    world = await linkWorld({ writeback: { field: 'No Such Field' } });
    const show = world.server.addShow({ title: 'Birchwood City Council', eventDate: '2022-01-11T19:00:00' });
    await captionedRecording(world, {
      fileName: `${show.id}-1-Birchwood City Council (20220111).mp4`,
      title: 'Birchwood City Council',
      date: '2022-01-11',
      showId: show.id,
    });
    const result = await world.testDb.run(['--config', world.configFile, 'link-queue'], {});
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no show custom field named "No Such Field"');
  });
});
