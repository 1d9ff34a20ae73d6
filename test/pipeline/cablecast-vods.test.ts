import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { speechVideo } from '../support/media.js';

const SPOKEN = 'Welcome to the Lake Elmo city council. We begin with public comment.';

describe(`process-recent-vods from Cablecast (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let server: CablecastServer;
  let dir: string;
  let config: string;
  let env: Record<string, string>;
  let video: Buffer;
  let vodId: number;
  let vodPath: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startCablecastServer({ username: 'archivist', password: 's3cret' });
    dir = await mkdtemp(join(tmpdir(), 'archivist-vods-'));
    video = await readFile(await speechVideo(dir, 'source.mp4', SPOKEN));
    const wanted = server.addShow({ title: 'Lake Elmo City Council', location: 3, eventDate: '2026-11-24T19:00:00' });
    const wantedVod = server.addVodFile(wanted.id, video, { fileName: 'Lake Elmo City Council 11-24-26.mp4' });
    vodId = wantedVod.id;
    vodPath = new URL(wantedVod.url).pathname;
    const captioned = server.addShow({ title: 'Lake Elmo Planning', location: 3 });
    server.addVodFile(captioned.id, video, { playlist: 'subtitles' });
    server.addVodFile(server.addShow({ title: 'Lake Elmo Parks', location: 3 }).id, video, { lifecycle: 'processing' });
    server.addVodFile(server.addShow({ title: 'Oakdale Council', location: 7 }).id, video);
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
        cablecast: { url: server.url, username: 'archivist' },
        paths: { output: join(dir, 'out'), work: join(dir, 'work') },
        captions: { formats: ['scc', 'vtt'] },
      }),
    );
    env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: SPOKEN }), CABLECAST_PASSWORD: 's3cret' };
  });
  afterAll(async () => {
    await server.close();
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fetches the ready, uncaptioned VOD (retrying a cut download) and captions it under its Cablecast name', async () => {
    const result = await testDb.run(
      ['--config', config, '--json', 'process-recent-vods', '--steps', 'fetch,probe,transcribe,captions'],
      env,
    );
    // The only warning: the cut download, retried.
    expect(
      result.stderr
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { msg: string }).msg),
    ).toEqual([expect.stringMatching(/resum|retry|cut|interrupt/i)]);
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout) as { queued: number; jobs: { succeeded: number } };
    expect(summary).toMatchObject({ queued: 1, jobs: { succeeded: 4 } });

    const fetched = join(dir, 'work', 'vods', String(vodId), 'Lake Elmo City Council 11-24-26.mp4');
    expect(
      createHash('sha256')
        .update(await readFile(fetched))
        .digest('hex'),
    ).toBe(createHash('sha256').update(video).digest('hex'));
    const ranges = server.requests.filter((r) => r.path === vodPath).map((r) => r.range);
    // Whether the second request resumes depends on how much of the cut body reached the disk
    // (test/fetch covers the resume itself); either way it is one retry, not a failed job.
    expect(ranges).toHaveLength(2);

    const scc = await readFile(join(dir, 'out', 'flex3', 'Lake Elmo City Council 11-24-26.scc'), 'utf8');
    const decoded = decodeScc(scc);
    expect(decoded.problems).toEqual([]);
    expect(decoded.captions.map((c) => c.lines.join(' ')).join(' ')).toBe(SPOKEN);
    await readFile(join(dir, 'out', 'flex3', 'Lake Elmo City Council 11-24-26.vtt'), 'utf8');

    await testDb.use(async (db) => {
      const media = await db.selectFrom('media').select(['source', 'cablecast_show_id', 'sha256']).execute();
      expect(media).toHaveLength(1);
      expect(media[0]).toMatchObject({ source: 'cablecast', sha256: createHash('sha256').update(video).digest('hex') });
      // Linking is the next step, queued for link-queue since Cablecast is configured.
      const link = await db.selectFrom('jobs').select('state').where('kind', '=', 'link').executeTakeFirstOrThrow();
      expect(link.state).toBe('queued');
    });
  });

  it('does nothing the second time', async () => {
    const again = await testDb.run(
      ['--config', config, '--json', 'process-recent-vods', '--steps', 'fetch,probe,transcribe,captions'],
      env,
    );
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ queued: 0, jobs: { claimed: 0 } });
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
