import { createHash } from 'node:crypto';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCleanup } from '../../src/lib/cleanup/run-cleanup.js';
import { createCablecastClient } from '../../src/lib/cablecast/index.js';
import { enqueueJob } from '../../src/lib/jobs/enqueue-job.js';
import { PIPELINE, stageOf } from '../../src/lib/stages.js';
import { TEST_DB_KIND } from '../support/database.js';
import { linkWorld, silent, type LinkWorld } from '../linking/fixtures.js';
import { defined } from '../support/defined.js';

let world: LinkWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const NOW = new Date();
const OLD = new Date(NOW.getTime() - 5 * 86_400_000);

async function put(path: string, content: string, old: boolean): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  if (old) await utimes(path, OLD, OLD);
  return path;
}

async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A share, work and output tree with old and new files, ours and other people's. */
async function scratchTree(w: LinkWorld) {
  const share = join(w.dir, 'flex-1');
  const work = w.config.paths.work;
  const output = w.config.paths.output;
  const recording = await put(join(share, '17601-1-Birchwood City Council (20220111).mp4'), 'video', true);
  await put(join(share, '17601-1-Birchwood City Council (20220111).scc'), 'vendor captions', true);
  await put(join(share, '.archivist-0123456789ab-17601-1-Birchwood City Council (20220111).scc.tmp'), 'half', true);
  await put(join(share, '.archivist-0123456789ac-new.scc.tmp'), 'half', false);
  await put(join(share, 'sub', 'old-download.part'), 'someone else', true);
  await put(join(share, '.archivist-notours.tmp'), 'odd name', true);
  await put(join(share, 'Other.scc'), 'foreign', true);
  await put(join(work, '.archivist-scratch-old1', 'audio.wav'), 'pcm', true);
  await utimes(join(work, '.archivist-scratch-old1'), OLD, OLD);
  await put(join(work, '.archivist-scratch-busy', 'audio.wav'), 'pcm', false);
  await utimes(join(work, '.archivist-scratch-busy'), OLD, OLD);
  await put(join(work, 'vods', '7', 'vod.mp4.part'), 'partial', true);
  await put(join(work, 'vods', '8', 'vod.mp4.part'), 'partial', false);
  await put(join(work, 'notes.txt'), 'operator file', true);
  await put(join(output, 'flex1', 'Gone.srt'), 'ours, media deleted', true);
  await put(join(output, 'flex1', 'Changed.srt'), 'edited by someone', true);
  await put(join(output, 'flex1', 'Kept.srt'), 'ours, media present', true);
  await put(join(output, 'flex1', 'Foreign.srt'), 'not ours', true);
  await put(join(output, 'flex1', 'Unhashed.srt'), 'no hash was recorded', true);
  const media = await w.db
    .insertInto('media')
    .values({ site: 'flex1', path: recording, source: 'share', title: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await w.db
    .insertInto('artifacts')
    .values([
      { media_id: null, kind: 'caption', path: join(output, 'flex1', 'Gone.srt'), sha256: sha('ours, media deleted') },
      { media_id: null, kind: 'caption', path: join(output, 'flex1', 'Changed.srt'), sha256: sha('what we wrote') },
      { media_id: media.id, kind: 'caption', path: join(output, 'flex1', 'Kept.srt'), sha256: sha('ours, media present') },
      { media_id: null, kind: 'caption', path: join(output, 'flex1', 'Vanished.srt'), sha256: sha('x') },
      { media_id: null, kind: 'caption', path: join(output, 'flex1', 'Unhashed.srt'), sha256: null },
    ])
    .execute();
  return { share, work, output, mediaId: media.id };
}

describe(`cleanup-orphaned (${TEST_DB_KIND})`, () => {
  it('deletes exactly the old scratch, partial and temp files that are ours, and outputs of deleted media', async () => {
    world = await linkWorld();
    const { dir } = world;
    const { share, work, output } = await scratchTree(world);
    const before = { share: await tree(share), work: await tree(work), output: await tree(output) };

    const dry = await runCleanup({ db: world.db, config: world.config, client: null, dryRun: true, now: NOW });
    expect({ share: await tree(share), work: await tree(work), output: await tree(output) }).toEqual(before);
    expect(await world.db.selectFrom('artifacts').select('path').execute()).toHaveLength(5);

    const done = await runCleanup({ db: world.db, config: world.config, client: null, dryRun: false, now: NOW });
    expect(done.changes).toEqual(dry.changes);
    expect(await tree(share)).toEqual([
      '.archivist-0123456789ac-new.scc.tmp',
      '.archivist-notours.tmp',
      '17601-1-Birchwood City Council (20220111).mp4',
      '17601-1-Birchwood City Council (20220111).scc',
      'Other.scc',
      'sub/old-download.part',
    ]);
    expect(await tree(work)).toEqual(['.archivist-scratch-busy/audio.wav', 'notes.txt', 'vods/8/vod.mp4.part']);
    expect(await tree(output)).toEqual(['flex1/Changed.srt', 'flex1/Foreign.srt', 'flex1/Kept.srt', 'flex1/Unhashed.srt']);
    const actions = done.changes.map((c) => ('path' in c ? `${c.action} ${relative(dir, c.path)}` : c.action));
    expect(actions.sort()).toEqual([
      'delete-output output/flex1/Gone.srt',
      'delete-scratch flex-1/.archivist-0123456789ab-17601-1-Birchwood City Council (20220111).scc.tmp',
      'delete-scratch work/.archivist-scratch-old1',
      'delete-scratch work/vods/7/vod.mp4.part',
      'forget-artifact output/flex1/Vanished.srt',
    ]);
    expect((await world.db.selectFrom('artifacts').select('path').orderBy('path').execute()).map((a) => relative(dir, a.path))).toEqual([
      'output/flex1/Changed.srt',
      'output/flex1/Kept.srt',
      'output/flex1/Unhashed.srt',
    ]);
    expect(done.notes).toContain('Cablecast is not configured: links were not checked');
  });

  it('deletes a downloaded VOD once no step that reads the video is waiting, and keeps one still needed', async () => {
    world = await linkWorld();
    const w = world;
    const spent = await put(join(w.config.paths.work, 'vods', '41', 'Council 11-24-26.mp4'), 'video', true);
    const needed = await put(join(w.config.paths.work, 'vods', '42', 'Planning 11-25-26.mp4'), 'video', true);
    const fresh = await put(join(w.config.paths.work, 'vods', '43', 'Parks 11-26-26.mp4'), 'video', false);
    const ids = await w.db
      .insertInto('media')
      .values([spent, needed, fresh].map((path) => ({ site: 'flex1', path, source: 'cablecast' as const, vod_url: 'http://x/vod.mp4' })))
      .returning('id')
      .execute();
    const [spentMedia, neededMedia] = ids.map((row) => row.id);
    for (const { id } of ids) await w.db.insertInto('jobs').values({ media_id: id, kind: 'transcribe', state: 'succeeded' }).execute();
    await enqueueJob(w.db, { mediaId: defined(neededMedia, 'the needed media id'), kind: 'retranscode' }, { maxAttempts: 5 });

    const dry = await runCleanup({ db: w.db, config: w.config, client: null, dryRun: true, now: NOW });
    expect(
      dry.changes.filter((c) => c.action === 'delete-scratch' && c.what === 'downloaded VOD').map((c) => 'path' in c && c.path),
    ).toEqual([spent]);
    expect(await tree(join(w.config.paths.work, 'vods'))).toHaveLength(3);

    await runCleanup({ db: w.db, config: w.config, client: null, dryRun: false, now: NOW });
    expect(await tree(join(w.config.paths.work, 'vods'))).toEqual(['42/Planning 11-25-26.mp4', '43/Parks 11-26-26.mp4']);
    expect(
      await w.db.selectFrom('media').select('state').where('id', '=', defined(spentMedia, 'the spent media id')).executeTakeFirstOrThrow(),
    ).toEqual({
      state: 'active',
    });
  });

  it('keeps a downloaded VOD while a job of a kind the pipeline table says reads the video waits, and only then', async () => {
    world = await linkWorld();
    const w = world;
    const vods = await Promise.all(
      PIPELINE.map(async ({ kind }, i) => ({
        kind,
        path: await put(join(w.config.paths.work, 'vods', String(50 + i), `${kind}.mp4`), 'video', true),
      })),
    );
    const ids = await w.db
      .insertInto('media')
      .values(vods.map(({ path }) => ({ site: 'flex1', path, source: 'cablecast' as const, vod_url: 'http://x/vod.mp4' })))
      .returning('id')
      .execute();
    for (const [i, { kind }] of vods.entries()) {
      await enqueueJob(w.db, { mediaId: defined(ids[i], `the media id of the ${kind} VOD`).id, kind }, { maxAttempts: 5 });
    }

    const dry = await runCleanup({ db: w.db, config: w.config, client: null, dryRun: true, now: NOW });
    const deleted = dry.changes
      .filter((c) => c.action === 'delete-scratch' && c.what === 'downloaded VOD')
      .map((c) => 'path' in c && c.path);
    expect(deleted).toEqual(vods.filter(({ kind }) => !stageOf(kind).readsVideo).map(({ path }) => path));
    // Both sides of the rule are exercised: some kinds keep the download, some let it go.
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.length).toBeLessThan(vods.length);
  });

  it('marks vanished recordings missing and cancels their jobs, but not on a share that looks unmounted', async () => {
    world = await linkWorld(
      {},
      {
        sites: [
          { key: 'flex1', name: 'Birchwood', share: join('flex-1'), location: 1 },
          { key: 'flex2', name: 'Dellwood', share: join('flex-2'), location: 2 },
        ],
      },
    );
    const share = join(world.dir, 'flex-1');
    await put(join(share, 'Present.mp4'), 'v', false);
    const rows = await world.db
      .insertInto('media')
      .values([
        { site: 'flex1', path: join(share, 'Present.mp4'), source: 'share' },
        { site: 'flex1', path: join(share, 'Deleted.mp4'), source: 'share' },
        { site: 'flex2', path: join(world.dir, 'flex-2', 'Unmounted.mp4'), source: 'share' },
      ])
      .returning('id')
      .execute();
    const [present, deleted, unmounted] = rows.map((r) => r.id) as [number, number, number];
    for (const id of [present, deleted, unmounted]) await enqueueJob(world.db, { mediaId: id, kind: 'transcribe' }, { maxAttempts: 5 });

    const dry = await runCleanup({ db: world.db, config: world.config, client: null, dryRun: true, now: NOW });
    expect(dry.changes).toEqual([{ action: 'mark-missing', mediaId: deleted, path: join(share, 'Deleted.mp4'), jobsToCancel: 1 }]);
    expect(dry.notes.some((n) => n.includes('flex2'))).toBe(true);
    expect((await world.db.selectFrom('media').select('state').where('id', '=', deleted).executeTakeFirstOrThrow()).state).toBe('active');

    await runCleanup({ db: world.db, config: world.config, client: null, dryRun: false, now: NOW });
    const states = await world.db
      .selectFrom('media')
      .innerJoin('jobs', 'jobs.media_id', 'media.id')
      .select(['media.id', 'media.state', 'jobs.state as job'])
      .orderBy('media.id')
      .execute();
    expect(states).toEqual([
      { id: present, state: 'active', job: 'queued' },
      { id: deleted, state: 'missing', job: 'cancelled' },
      { id: unmounted, state: 'active', job: 'queued' },
    ]);
  });

  it("turns the link of a deleted show orphaned and prunes old history, keeping each command's last run", async () => {
    world = await linkWorld();
    const kept = world.server.addShow({ title: 'Birchwood City Council' });
    const doomed = world.server.addShow({ title: 'Birchwood Parks Board' });
    const linkIds: number[] = [];
    for (const [i, show] of [kept, doomed].entries()) {
      const media = await world.db
        .insertInto('media')
        .values({ site: 'files', path: `/nowhere/${i}.mp4`, source: 'cablecast' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const transcript = await world.db
        .insertInto('transcripts')
        .values({ media_id: media.id, engine: 'e', model: 'm', text: '', words: '[]', segments: '[]' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const link = await world.db
        .insertInto('links')
        .values({ transcript_id: transcript.id, show_id: show.id, state: 'linked', method: 'fuzzy' })
        .returning('id')
        .executeTakeFirstOrThrow();
      linkIds.push(link.id);
      await world.db
        .insertInto('jobs')
        .values({ media_id: media.id, kind: 'link', state: 'succeeded', finished_at: i === 0 ? new Date('2020-01-01') : new Date() })
        .execute();
      // An old finished upload is the record that its bytes are on Cablecast: never pruned.
      if (i === 0)
        await world.db
          .insertInto('jobs')
          .values({ media_id: media.id, kind: 'upload', state: 'succeeded', finished_at: new Date('2020-01-01') })
          .execute();
    }
    await world.db
      .insertInto('runs')
      .values([
        {
          command: 'link-queue',
          host: 'h',
          pid: 1,
          started_at: new Date('2020-01-01'),
          finished_at: new Date('2020-01-01'),
          outcome: 'succeeded',
        },
        {
          command: 'link-queue',
          host: 'h',
          pid: 2,
          started_at: new Date('2020-01-02'),
          finished_at: new Date('2020-01-02'),
          outcome: 'succeeded',
        },
      ])
      .execute();
    world.server.state.shows.delete(doomed.id);
    const client = createCablecastClient({ url: world.server.url, verifyTls: true, retries: 0 }, silent);
    try {
      const dry = await runCleanup({ db: world.db, config: world.config, client, dryRun: true, now: NOW });
      expect(dry.changes.map((c) => c.action)).toEqual(['prune-jobs', 'prune-runs', 'orphan-link']);
      expect(
        (
          await world.db
            .selectFrom('links')
            .select('state')
            .where('id', '=', defined(linkIds[1], 'the doomed link id'))
            .executeTakeFirstOrThrow()
        ).state,
      ).toBe('linked');

      const done = await runCleanup({ db: world.db, config: world.config, client, dryRun: false, now: NOW });
      expect(done.changes).toContainEqual(expect.objectContaining({ action: 'orphan-link', showId: doomed.id, linkId: linkIds[1] }));
      expect(done.changes).toContainEqual(expect.objectContaining({ action: 'prune-jobs', count: 1 }));
      expect(done.changes).toContainEqual(expect.objectContaining({ action: 'prune-runs', count: 1 }));
    } finally {
      await client.close();
    }
    const links = await world.db.selectFrom('links').select(['id', 'state', 'last_error']).orderBy('id').execute();
    expect(links.map((l) => l.state)).toEqual(['linked', 'orphaned']);
    expect(links[1]?.last_error).toContain(`show ${doomed.id}`);
    expect((await world.db.selectFrom('runs').select('pid').execute()).map((r) => r.pid)).toEqual([2]);
    expect((await world.db.selectFrom('jobs').select('kind').orderBy('kind').execute()).map((j) => j.kind)).toEqual(['link', 'upload']);
  });
});
