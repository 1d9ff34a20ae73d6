import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/lib/pipeline/artifacts.js';
import { sha256File } from '../../src/lib/fs/file-sha256.js';
import { parseUploadState } from '../../src/lib/upload/upload-state.js';
import { enqueueJob } from '../../src/lib/jobs/enqueue-job.js';
import { sql } from 'kysely';
import { spawnArchivist } from '../support/cli.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedTranscribedMedia } from '../renditions/helpers.js';
import { randomFile } from './helpers.js';
import { defined } from '../support/defined.js';
import { anyNumber } from '../support/matchers.js';

let dir: string;
let server: CablecastServer;
let testDb: TestDatabase;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-upload-cli-'));
  server = await startCablecastServer({ username: 'u', password: 'p' });
  testDb = await createTestDatabase();
  await writeConfig();
  env = { ...testDb.env, ARCHIVIST_CONFIG: join(dir, 'config.json') };
});

async function writeConfig(upload: { store?: number } = {}): Promise<void> {
  const config = {
    cablecast: { url: server.url, username: 'u', password: 'p' },
    paths: { work: join(dir, 'work'), output: join(dir, 'output') },
    // The smallest segments: ten of them make the 10 MiB rendition below, as ten of 5 MiB would 50.
    upload: { segmentMiB: 1, ...upload },
    jobs: { leaseSeconds: 10, heartbeatSeconds: 1, backoffBaseSeconds: 0 },
  };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
}

afterEach(async () => {
  await server.close();
  await testDb.drop();
  await rm(dir, { recursive: true, force: true });
});

/** A transcribed recording `video` with its sidecar written beside it (the bytes an SCC starts with). */
async function seedWithSidecar(video: string): Promise<number> {
  const scc = video.replace(/\.mp4$/, '.scc');
  await writeFile(video, 'x');
  await writeFile(scc, 'Scenarist_SCC V1.0\n');
  return testDb.use(async (db) => {
    const id = await seedTranscribedMedia(db, video);
    await db
      .insertInto('artifacts')
      .values({ media_id: id, kind: 'sidecar', path: scc, sha256: sha256('Scenarist_SCC V1.0\n') })
      .execute();
    return id;
  });
}

async function jobOutput(mediaId: number): Promise<unknown> {
  return testDb.use(
    async (db) =>
      (await db.selectFrom('jobs').select('output').where('media_id', '=', mediaId).where('kind', '=', 'upload').executeTakeFirstOrThrow())
        .output,
  );
}

describe('archivist upload', () => {
  it("uploads the SCC under the video's base name to the store at the show's location", async () => {
    const show = server.addShow({ title: 'Lake Elmo Planning', location: 2 });
    const video = join(dir, `${show.id}-1-Lake Elmo Planning (20240111).mp4`);
    await writeFile(video, 'not really a video');
    const scc = join(dir, 'output', 'files', `${show.id}-1-Lake Elmo Planning (20240111).scc`);
    const sccText = 'Scenarist_SCC V1.0\n\n00:00:01;00\t942c 942c\n';
    const mediaId = await testDb.use(async (db) => {
      const id = await seedTranscribedMedia(db, video, { fileShowId: show.id });
      await mkdir(join(dir, 'output', 'files'), { recursive: true });
      await writeFile(scc, sccText);
      await db
        .insertInto('artifacts')
        .values({ media_id: id, kind: 'caption', path: scc, sha256: sha256(sccText) })
        .execute();
      return id;
    });

    const result = await testDb.run(['upload', video], env);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`uploaded ${show.id}-1-Lake Elmo Planning (20240111).scc to file store 2`);
    const stored = defined(server.state.storedFiles.get(`2/${show.id}-1-Lake Elmo Planning (20240111).scc`), 'the stored sidecar');
    expect(await readFile(stored, 'utf8')).toBe(sccText);
    expect(parseUploadState(await jobOutput(mediaId))).toMatchObject({ finished: true, assetId: anyNumber(), store: 2 });

    // Asked again: the same bytes are already there; nothing is sent, no second asset.
    const again = await testDb.run(['upload', String(mediaId)], env);
    expect(again.exitCode).toBe(0);
    expect(server.state.fileUploads.size).toBe(1);
    // And it says so, rather than "uploaded" a second time.
    expect(again.stdout).toContain(`already uploaded ${show.id}-1-Lake Elmo Planning (20240111).scc to file store 2`);
    expect(again.stdout).toContain('not sent again');
    expect(again.stdout).not.toMatch(/: uploaded /);
  });

  it('fails an unlinked recording with how to link it when no store is set, and refuses items without a transcript', async () => {
    const video = join(dir, 'Unknown meeting.mp4');
    await writeFile(video, 'x');
    const missing = await testDb.run(['upload', video], env);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('not transcribed yet; run `archivist transcribe');

    await seedWithSidecar(video);
    // Not linked to a show and no store configured: this recording's own problem, not a setting
    // every upload waits for (a store the server's stores cannot tell is: choose-store.test.ts).
    const result = await testDb.run(['upload', video], env);
    expect(result.exitCode, result.stderr).toBe(1);
    const dead = await testDb.use((db) =>
      db.selectFrom('jobs').select(['state', 'last_error']).where('kind', '=', 'upload').executeTakeFirstOrThrow(),
    );
    expect(dead.state).toBe('dead');
    expect(dead.last_error).toMatch(
      /^cannot tell which Cablecast file store holds the video \(media (\d+) is not linked to a Cablecast show\); link it \(archivist link-queue --link media:\1 --show <show-id>\) and retry this job, or set upload\.store$/,
    );
    expect(server.state.fileUploads.size).toBe(0);

    // Refused credentials are a configuration error (exit 2); the job is handed back, not failed.
    const wrong = await testDb.run(['upload', video, '--store', '1'], { ...env, CABLECAST_PASSWORD: 'wrong' });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('check cablecast.username and cablecast.password');
    const job = await testDb.use((db) =>
      db.selectFrom('jobs').select(['state', 'last_error']).where('kind', '=', 'upload').executeTakeFirstOrThrow(),
    );
    expect(job.state).toBe('queued');
  });

  it('a configured store Cablecast does not have waits, untouched, until upload.store is corrected', async () => {
    const video = join(dir, 'Council.mp4');
    const id = await seedWithSidecar(video);
    await testDb.use((db) => enqueueJob(db, { mediaId: id, kind: 'upload' }, { maxAttempts: 5 }));
    const uploadJob = () =>
      testDb.use((db) =>
        db.selectFrom('jobs').select(['state', 'attempts', 'last_error']).where('kind', '=', 'upload').executeTakeFirstOrThrow(),
      );

    await writeConfig({ store: 9 });
    const refused = await testDb.run(['upload'], env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      'archivist: upload left for the next run: upload.store is 9, but Cablecast has no file store 9\n' +
        "archivist:   Cablecast's file stores: 1 Flex 1 Content, 2 Flex 3 Content\n" +
        'archivist:   set upload.store to one of them\n',
    );
    expect(await uploadJob()).toEqual({ state: 'queued', attempts: 0, last_error: null });
    expect(server.state.fileUploads.size).toBe(0);

    // Corrected, the same job goes up on the next run.
    await writeConfig({ store: 1 });
    const fixed = await testDb.run(['upload'], env);
    expect(fixed.stderr).toBe('');
    expect(fixed.exitCode).toBe(0);
    expect(await uploadJob()).toMatchObject({ state: 'succeeded' });
    expect(server.state.storedFiles.has('1/Council.scc')).toBe(true);
  });

  it('killed halfway, a rerun finishes the same upload without resending acknowledged segments', async () => {
    const video = join(dir, 'Council.mp4');
    await writeFile(video, 'x');
    const rendition = await randomFile(join(dir, 'Council.captioned.mov'), 10);
    const renditionSha = await sha256File(rendition);
    const mediaId = await testDb.use(async (db) => {
      const id = await seedTranscribedMedia(db, video);
      await db.insertInto('artifacts').values({ media_id: id, kind: 'rendition', path: rendition, sha256: renditionSha }).execute();
      return id;
    });
    // Slow segments, so the kill lands mid-upload.
    server.inject({ kind: 'slow', delayMs: 150, times: 1000, match: /POST .*\/upload$/ });

    // A real process, killed outright: nothing of it can hand its job back.
    await testDb.release();
    const first = spawnArchivist(['upload', String(mediaId), '--what', 'rendition', '--store', '1'], env);
    while (server.state.receivedSegments.length < 5) await new Promise((r) => setTimeout(r, 20));
    first.kill('SIGKILL');
    await first;

    const saved = defined(parseUploadState(await jobOutput(mediaId)), 'the saved upload state');
    expect(saved.finished).toBe(false);
    expect(saved.acked.length).toBeGreaterThanOrEqual(4);
    const sentBefore = server.state.receivedSegments.length;

    // The killed worker's lease must run out before its job can be taken again: age its heartbeat past it.
    await testDb.use((db) => sql`update jobs set heartbeat_at = now() - interval '1 hour' where state = 'running'`.execute(db));
    const rerun = await testDb.run(['upload', String(mediaId), '--what', 'rendition', '--store', '1'], env);
    expect(rerun.stderr).toContain('recovered a job whose worker stopped heartbeating');
    expect(rerun.exitCode).toBe(0);

    expect(server.state.fileUploads.size).toBe(1);
    const resent = server.state.receivedSegments.slice(sentBefore).map((r) => r.segment);
    for (const acked of saved.acked) expect(resent).not.toContain(acked);
    expect([...new Set(server.state.receivedSegments.map((r) => r.segment))].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await sha256File(defined(server.state.storedFiles.get('1/Council.captioned.mov'), 'the stored rendition'))).toBe(renditionSha);
    expect(parseUploadState(await jobOutput(mediaId))).toMatchObject({ finished: true, uploadId: saved.uploadId });
  }, 60_000);
});
