import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { startCablecastServer, type AddShowInput, type CablecastServer, type ShowRecord } from '../support/cablecast-server.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { speechVideo } from '../support/media.js';
import { tableColumn } from '../support/table-column.js';

const SPOKEN = 'Welcome to the Lake Elmo city council. We begin with public comment.';

function sha(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The "Done when": a location holding shows of every kind; only the ready, uncaptioned
 * one of the site is fetched, transcribed, captioned under the show's name, uploaded (the site's
 * share is not mounted here), linked, and its string field written once.
 */
describe(`process-recent-vods from Cablecast (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let server: CablecastServer;
  let dir: string;
  let config: string;
  let env: Record<string, string>;
  let video: Buffer;
  let wanted: ShowRecord;
  let vodId: number;
  let vodPath: string;
  let stem: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // File stores that do not say which location they serve, as far as the reference knows.
    server = await startCablecastServer({ username: 'archivist', password: 's3cret', fileStoreLocations: false });
    dir = await mkdtemp(join(tmpdir(), 'archivist-vods-'));
    video = await readFile(await speechVideo(dir, 'source.mp4', SPOKEN));
    const captioned = server.addShowField('Captioned');
    const add = (title: string, extra: Omit<AddShowInput, 'title'> = {}): ShowRecord =>
      server.addShow({ location: 3, eventDate: '2026-11-24T19:00:00-06:00', ...extra, title });

    wanted = add('Lake Elmo City Council', { customFields: [{ showField: captioned.id, value: '' }] });
    const wantedVod = server.addVodFile(wanted.id, video);
    vodId = wantedVod.id;
    vodPath = new URL(wantedVod.url).pathname;
    stem = `${wanted.id}-Lake-Elmo-City-Council`;
    server.addVodFile(add('Lake Elmo Planning', { hasCaptions: true }).id, video);
    server.addVodFile(add('Lake Elmo Parks').id, video, { playlist: 'subtitles' });
    server.addVodFile(add('Oakdale Council').id, video);
    server.addVodFile(add('Lake Elmo Budget').id, video, { lifecycle: 'processing' });
    server.addVodFile(add('Lake Elmo Council', { location: 7 }).id, video);
    server.addVodFile(add('Lake Elmo Workshop', { generateCaptions: true }).id, video);
    server.addVodFile(add('Lake Elmo Retreat', { lastModified: new Date(Date.now() - 30 * 86_400_000).toISOString() }).id, video);
    // The download is cut mid-body once: the fetch must resume, not start over.
    server.inject({ kind: 'cut', afterBytes: Math.floor(video.length / 2), times: 1, match: vodPath });

    const share = join(dir, 'flex-3');
    await mkdir(share);
    const model = join(dir, 'ggml-base.en.bin');
    await writeFile(model, 'stub model');
    config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        sites: [{ key: 'flex3', name: 'Lake Elmo', share, patterns: ['lake elmo'], location: 3 }],
        engine: { kind: 'whisper-cpp', model },
        cablecast: { url: server.url, username: 'archivist', fileStore: 2 },
        paths: { output: join(dir, 'out'), work: join(dir, 'work') },
        captions: { formats: ['scc', 'vtt'] },
        discovery: { recheckSeconds: 0 },
        pipeline: { upload: true },
        linking: { writeback: { field: 'Captioned' } },
      }),
    );
    env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: SPOKEN }), CABLECAST_PASSWORD: 's3cret' };
  });
  const showWrites = (): string[] => server.requests.filter((r) => r.method === 'PUT' && /\/shows\//i.test(r.path)).map((r) => r.path);

  afterAll(async () => {
    await server.close();
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('plans the one show, and lists the shows that may need a look with their reasons', async () => {
    const plan = await testDb.run(['--config', config, 'process-recent-vods', '--dry-run'], env);
    expect(plan.exitCode, plan.stderr).toBe(0);
    const text = plan.stdout.replace(/\s+/g, ' ');
    expect(tableColumn(plan.stdout, 'action')).toBe('action queue for captions');
    // Off a terminal the table names the path whole, as the JSON plan does.
    expect(plan.stdout).toContain(`vods/${vodId}/${stem}`);
    const json = await testDb.run(['--config', config, '--json', 'process-recent-vods', '--dry-run'], env);
    expect(json.stdout).toContain(`vods/${vodId}/${stem}`);
    expect(text).toMatch(/Skipped for now .*Lake Elmo Budget .*not published yet.*Lake Elmo Workshop .*generateCaptions/);
    // Other sites' shows and captioned ones are no news.
    expect(text).not.toMatch(/Oakdale|Lake Elmo Parks|Lake Elmo Planning/);
  });

  it('fetches, captions, uploads, links and writes back only the ready, uncaptioned show of the site', async () => {
    const result = await testDb.run(['--config', config, '--json', 'process-recent-vods'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    const warnings = result.stderr
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    // The cut download, retried; and the store, told from cablecast.fileStore since the stores do not say.
    expect(warnings).toEqual([
      expect.stringMatching(/resum|retry|cut|interrupt/i),
      "uploading to cablecast.fileStore 2: Cablecast's file stores do not say which location they serve",
    ]);
    const summary = JSON.parse(result.stdout) as {
      queued: number;
      jobs: { succeeded: number };
      vods: { site: string; found: number; skipped: { title: string; kind: string }[] }[];
    };
    expect(summary).toMatchObject({ queued: 1, jobs: { succeeded: 6 } });
    expect(summary.vods).toEqual([
      {
        site: 'flex3',
        found: 1,
        error: null,
        skipped: [
          expect.objectContaining({ title: 'Lake Elmo Planning', kind: 'captioned' }),
          expect.objectContaining({ title: 'Lake Elmo Parks', kind: 'captioned' }),
          expect.objectContaining({ title: 'Oakdale Council', kind: 'outside-patterns' }),
          expect.objectContaining({ title: 'Lake Elmo Budget', kind: 'not-ready' }),
          expect.objectContaining({ title: 'Lake Elmo Workshop', kind: 'captioned-elsewhere' }),
        ],
      },
    ]);

    // Fetched: only this VOD, once (and once more after the cut), under the show's name.
    const fetched = join(dir, 'work', 'vods', String(vodId), `${stem}.mp4`);
    expect(sha(await readFile(fetched))).toBe(sha(video));
    const downloads = server.requests.filter((r) => r.path.endsWith('/vod.mp4'));
    expect(new Set(downloads.map((r) => r.path))).toEqual(new Set([vodPath]));
    expect(downloads).toHaveLength(2);

    // Captioned, named after the show.
    const scc = await readFile(join(dir, 'out', 'flex3', `${stem}.scc`), 'utf8');
    const decoded = decodeScc(scc);
    expect(decoded.problems).toEqual([]);
    // The engine's prompt holds the show's title, and the names come out spelled as there.
    expect(decoded.captions.map((c) => c.lines.join(' ')).join(' ')).toBe(SPOKEN.replace('city council', 'City Council'));
    await readFile(join(dir, 'out', 'flex3', `${stem}.vtt`), 'utf8');

    // Uploaded under the same name.
    const stored = server.state.storedFiles.get(`2/${stem}.scc`);
    expect(stored === undefined ? null : await readFile(stored, 'utf8')).toBe(scc);

    // Linked to its show, and the string field written once with what is true.
    const finished = await testDb.use(async (db) => {
      const link = await db.selectFrom('links').select(['state', 'show_id', 'method', 'writeback']).executeTakeFirstOrThrow();
      expect(link).toMatchObject({ state: 'linked', show_id: wanted.id, method: 'cablecast-source', writeback: { state: 'written' } });
      const media = await db.selectFrom('media').select(['source', 'cablecast_show_id', 'sha256']).execute();
      expect(media).toEqual([{ source: 'cablecast', cablecast_show_id: wanted.id, sha256: sha(video) }]);
      const upload = await db.selectFrom('jobs').select('finished_at').where('kind', '=', 'upload').executeTakeFirstOrThrow();
      return upload.finished_at?.toISOString().slice(0, 10);
    });
    expect(server.state.shows.get(wanted.id)?.customFields).toEqual([
      expect.objectContaining({ fieldName: 'Captioned', type: 'string', value: `Captioned by Archivist ${finished ?? '?'}` }),
    ]);
    expect(showWrites()).toEqual([`/CablecastAPI/v1/shows/${wanted.id}`]);
  });

  it('does nothing the second time, and writes nothing again', async () => {
    const again = await testDb.run(['--config', config, '--json', 'process-recent-vods'], env);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ queued: 0, jobs: { claimed: 0 } });
    const links = await testDb.run(['--config', config, 'link-queue'], env);
    expect(links.exitCode, links.stderr).toBe(0);
    expect(showWrites()).toHaveLength(1);
  });

  it('reports wrong credentials as an authentication problem, not as nothing found', async () => {
    const result = await testDb.run(['--config', config, 'process-recent-vods', '--steps', 'fetch', '--dry-run'], {
      ...env,
      CABLECAST_PASSWORD: 'wrong',
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/cablecast\.username|password/i);
  });
});
