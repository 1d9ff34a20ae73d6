import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queueDueLinks } from '../../src/lib/linking/due-links.js';
import { TEST_DB_KIND } from '../support/database.js';
import { captionedRecording, drainLinks, linkOf, linkWorld, type LinkWorld } from './fixtures.js';
import { stringContaining } from '../support/matchers.js';

let world: LinkWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const NOT_IN_CABLECAST = 'the captions have not reached Cablecast: no sidecar on a share and pipeline.upload is off';

async function linkJob(w: LinkWorld, mediaId: number) {
  return w.db.selectFrom('jobs').selectAll().where('media_id', '=', mediaId).where('kind', '=', 'link').executeTakeFirstOrThrow();
}

describe(`the write-back states what is true (${TEST_DB_KIND})`, () => {
  it('refuses a select field named as the write-back field, naming it and its type; the link stays linked', async () => {
    world = await linkWorld({ writeback: { field: 'Captioned' } });
    const field = world.server.addShowField('Captioned', 'select', ['Yes', 'No']);
    const show = world.server.addShow({
      title: 'Birchwood City Council',
      eventDate: '2022-01-11T19:00:00',
      customFields: [{ showField: field.id, value: field.options[1]?.id ?? 0 }],
    });
    const media = await captionedRecording(world, {
      fileName: `${show.id}-1-Birchwood City Council (20220111).mp4`,
      title: 'Birchwood City Council',
      date: '2022-01-11',
      showId: show.id,
    });

    for (const run of [1, 2]) {
      const result = await world.testDb.run(['--config', world.configFile, 'link-queue'], {});
      expect(result.exitCode, `run ${run}`).toBe(2);
      expect(result.stderr).toContain(`Cablecast show custom field "Captioned" is a select field (show ${show.id})`);
      const link = await linkOf(world, media.id);
      expect(link).toMatchObject({ state: 'linked', show_id: show.id, attempts: 1 });
      expect(link.writeback).toMatchObject({
        state: 'failed',
        reason: stringContaining('"Captioned" is a select field'),
      });
      // A configuration to fix, not an item to retry: the job is handed back without spending an attempt.
      expect(await linkJob(world, media.id)).toMatchObject({ state: 'queued', attempts: 0, last_error: null });
    }
    expect(world.server.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    expect(world.server.state.shows.get(show.id)?.customFields).toEqual([expect.objectContaining({ value: field.options[1]?.id })]);

    const status = await world.testDb.run(['--config', world.configFile, 'link-queue', '--status', `media:${media.id}`], {});
    expect(status.stdout).toContain('write-back:  failed: Cablecast show custom field "Captioned" is a select field');
  });

  it('with upload off and no share, writes nothing and says why until an upload has finished', async () => {
    world = await linkWorld({ writeback: { field: 'Captioned' } });
    const field = world.server.addShowField('Captioned');
    const show = world.server.addShow({ title: 'Birchwood City Council', eventDate: '2022-01-11T19:00:00' });
    const media = await captionedRecording(world, {
      source: 'cablecast',
      fileName: `${show.id}-Birchwood-City-Council.mp4`,
      title: 'Birchwood City Council',
      date: '2022-01-11',
      cablecastShowId: show.id,
    });
    const config = ['--config', world.configFile];

    const dry = await world.testDb.run([...config, '--json', 'link-queue', '--dry-run'], {});
    expect(JSON.parse(dry.stdout)).toEqual([expect.objectContaining({ outcome: 'link', writeback: `wait: ${NOT_IN_CABLECAST}` })]);

    const drained = await world.testDb.run([...config, 'link-queue'], {});
    expect(drained.exitCode, drained.stderr).toBe(0);
    expect(await linkOf(world, media.id)).toMatchObject({ state: 'linked', show_id: show.id, method: 'cablecast-source' });
    expect(world.server.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    expect(world.server.state.shows.get(show.id)?.customFields).toEqual([]);

    const json = await world.testDb.run([...config, '--json', 'link-queue', '--status', `media:${media.id}`], {});
    expect(JSON.parse(json.stdout)).toMatchObject({
      state: 'linked',
      writeback: { state: 'waiting', wrote: false, value: null, reason: NOT_IN_CABLECAST },
    });
    const detail = await world.testDb.run([...config, 'link-queue', '--status', `media:${media.id}`], {});
    expect(detail.stdout).toContain(`write-back:  waiting: ${NOT_IN_CABLECAST}`);
    const table = await world.testDb.run([...config, 'link-queue', '--status'], {});
    expect(table.stdout.replace(/[\s│|]+/g, ' ')).toContain('waiting: the captions have not reached');

    // Nothing has changed: the next run does not even queue it.
    expect(await queueDueLinks(world.db, { writeback: true }, { maxAttempts: 5 })).toEqual([]);

    // Then someone uploads the captions (archivist upload): the write-back follows, naming the file only.
    await world.db
      .insertInto('jobs')
      .values({
        media_id: media.id,
        kind: 'upload',
        state: 'succeeded',
        finished_at: new Date('2022-01-13T08:00:00Z'),
        output: JSON.stringify({
          what: 'sidecar',
          path: '/var/lib/archivist/output/flex1/x.scc',
          fileName: `${show.id}-Birchwood-City-Council.scc`,
          store: 1,
          size: 10,
          sha256: 'a'.repeat(64),
          segmentBytes: 5_242_880,
          totalSegments: 1,
          uploadId: 7,
          acked: [0],
          finished: true,
          assetId: 70,
        }),
      })
      .execute();
    expect(await queueDueLinks(world.db, { writeback: true }, { maxAttempts: 5 })).toEqual([media.id]);
    await drainLinks(world);
    expect(world.server.state.shows.get(show.id)?.customFields).toEqual([
      expect.objectContaining({ showField: field.id, value: 'Captioned by Archivist 2022-01-13' }),
    ]);
    expect((await linkOf(world, media.id)).writeback).toMatchObject({ state: 'written', wrote: true });
  });

  it('waits, saying so, when the sidecar Archivist wrote on the share is not there', async () => {
    world = await linkWorld({ writeback: { field: 'Captioned', value: '{file}' } });
    world.server.addShowField('Captioned');
    const show = world.server.addShow({ title: 'Birchwood City Council', eventDate: '2022-01-11T19:00:00' });
    const media = await captionedRecording(world, {
      fileName: `${show.id}-1-Birchwood City Council (20220111).mp4`,
      title: 'Birchwood City Council',
      date: '2022-01-11',
      showId: show.id,
    });
    const sidecar = media.path.replace(/\.mp4$/, '.scc');
    await world.db.deleteFrom('artifacts').execute();
    // A sidecar written elsewhere (transcribe --out) is not one beside the video.
    const elsewhere = join(world.dir, 'elsewhere', 'x.scc');
    await world.db.insertInto('artifacts').values({ media_id: media.id, kind: 'sidecar', path: elsewhere, sha256: null }).execute();
    await drainLinks(world);
    const link = await linkOf(world, media.id);
    expect(link.writeback).toMatchObject({
      state: 'waiting',
      reason: stringContaining('Archivist wrote no sidecar beside the video'),
    });

    await world.db.updateTable('artifacts').set({ path: sidecar }).execute();
    await rm(sidecar);
    expect(await queueDueLinks(world.db, { writeback: true }, { maxAttempts: 5 })).toEqual([media.id]);
    await drainLinks(world);
    expect((await linkOf(world, media.id)).writeback).toMatchObject({
      state: 'waiting',
      reason: `the captions have not reached Cablecast: the sidecar ${sidecar} is not there (is the share mounted on this host?) and pipeline.upload is off`,
    });
    expect(world.server.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });
});
