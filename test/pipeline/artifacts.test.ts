import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCaptions } from '../../src/lib/captions/files.js';
import type { Db } from '../../src/lib/db/schema.js';
import { tempPathFor } from '../../src/lib/fs/atomic.js';
import { enqueueJob } from '../../src/lib/jobs/enqueue-job.js';
import { loadConfig } from '../../src/lib/config/load.js';
import { CaptionFileRefusedError, sha256, writeOwnedFile } from '../../src/lib/pipeline/artifacts.js';
import { runPipeline } from '../../src/lib/pipeline/run-pipeline.js';
import { pipelineSteps } from '../../src/lib/pipeline/steps/index.js';
import { saveTranscript } from '../../src/lib/pipeline/transcripts.js';
import { silent, testPipeline } from '../support/pipeline.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { defined } from '../support/defined.js';

describe(`files Archivist owns (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-owned-'));
  });
  afterEach(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces only its own unchanged file for the same recording', async () => {
    await testDb.use(async (db) => {
      const rows = await db
        .insertInto('media')
        .values([
          { site: 'flex1', path: '/mnt/flex-1/2025/Council.mp4', source: 'share' },
          { site: 'flex1', path: '/mnt/flex-1/2026/Council.mp4', source: 'share' },
        ])
        .returning('id')
        .execute();
      const a = defined(rows[0], 'the first media row');
      const b = defined(rows[1], 'the second media row');
      const path = join(dir, 'Council.srt');
      const write = (mediaId: number, content: string) => writeOwnedFile(db, { mediaId, kind: 'caption', path, content });

      expect(await write(a.id, 'first')).toEqual({ written: true, path });
      expect(await write(a.id, 'second')).toEqual({ written: true, path });
      expect(await write(b.id, 'other recording')).toEqual({
        written: false,
        path,
        reason: `Archivist wrote this file for another recording (media ${a.id})`,
      });
      await writeFile(path, 'edited by hand');
      expect(await write(a.id, 'third')).toMatchObject({
        written: false,
        reason: 'the file was changed by someone since Archivist wrote it',
      });
      expect(await readFile(path, 'utf8')).toBe('edited by hand');

      const foreign = join(dir, 'Vendor.scc');
      await writeFile(foreign, 'vendor');
      expect(await writeOwnedFile(db, { mediaId: a.id, kind: 'sidecar', path: foreign, content: 'ours' })).toMatchObject({
        written: false,
        reason: 'a file Archivist did not write is already there',
      });
      expect(await readFile(foreign, 'utf8')).toBe('vendor');
    });
  });

  const newMedia = async (db: Db): Promise<number> =>
    (
      await db
        .insertInto('media')
        .values({ site: 'files', path: join(dir, 'Council.mp4'), source: 'file', duration_sec: 10 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const scc = formatCaptions([{ start: 1, end: 3, lines: ['THE MEETING WILL COME TO ORDER'] }], 'scc');

  it('places an SCC file only when our decoder plays it back cleanly within the recording', async () => {
    await testDb.use(async (db) => {
      const mediaId = await newMedia(db);
      const path = join(dir, 'Council.scc');
      const place = (content: string, durationSeconds: number | null = 10) =>
        writeOwnedFile(db, { mediaId, kind: 'sidecar', path, content, durationSeconds });
      const refusal = async (content: string, durationSeconds?: number | null) => {
        const error = await place(content, durationSeconds).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CaptionFileRefusedError);
        expect((error as CaptionFileRefusedError).kind).toBe('permanent');
        return (error as Error).message;
      };

      // Word times of 1e12 s, as an engine produced them: a timecode no decoder can read.
      expect(await refusal(scc.replace(/^00:00:00;\d\d/m, '277778055:33:19;25'))).toMatch(
        /line \d+: "277778055:33:19;25" is not a HH:MM:SS;FF timecode/,
      );
      const words = scc.split(/\s+/).filter((w) => /^[0-9a-f]{4}$/.test(w) && w !== '9420');
      const bad = (Number.parseInt(defined(words[3], 'a caption word'), 16) ^ 0x0100).toString(16).padStart(4, '0');
      expect(await refusal(scc.replace(defined(words[3], 'a caption word'), bad))).toMatch(/fails odd parity/);
      expect(await refusal('Scenarist_SCC V1.0\n\n')).toMatch(/no captions/);
      // Well-formed, but an hour past the end of a 10-second recording.
      const late = formatCaptions([{ start: 3600, end: 3602, lines: ['LATE'] }], 'scc');
      expect(await refusal(late)).toMatch(/lies beyond the recording's 10.0 s/);
      expect(await refusal(late, 3)).toMatch(/beyond/);
      expect(await readdir(dir)).toEqual([]);
      expect(await db.selectFrom('artifacts').selectAll().execute()).toEqual([]);

      expect(await place(scc)).toEqual({ written: true, path });
      expect(await place(late, null)).toEqual({ written: true, path });
    });
  });

  it('records a file before it appears, and takes one a stopped run left as its own', async () => {
    await testDb.use(async (db) => {
      const mediaId = await newMedia(db);
      const path = join(dir, 'Council.vtt');
      const content = 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nThe meeting will come to order\n';
      // What a run stopped between the rename and the record leaves: the file, and its row pending.
      const temp = tempPathFor(path);
      await writeFile(path, content);
      await db
        .insertInto('artifacts')
        .values({ media_id: mediaId, kind: 'caption', path, sha256: sha256(content), state: 'pending', temp_path: temp })
        .execute();
      expect(await writeOwnedFile(db, { mediaId, kind: 'caption', path, content })).toEqual({ written: true, path });
      expect(await db.selectFrom('artifacts').select(['state', 'temp_path', 'sha256']).where('path', '=', path).executeTakeFirst()).toEqual(
        {
          state: 'complete',
          temp_path: null,
          sha256: sha256(content),
        },
      );

      // Stopped before the rename while replacing our own earlier file: the old one is still ours,
      // and the temp file it left is cleared away.
      const next = `${content}\n00:00:04.000 --> 00:00:05.000\nRoll call\n`;
      const leftover = tempPathFor(path);
      await writeFile(leftover, next);
      await db
        .updateTable('artifacts')
        .set({ state: 'pending', sha256: sha256(next), previous_sha256: sha256(content), temp_path: leftover })
        .where('path', '=', path)
        .execute();
      expect(await writeOwnedFile(db, { mediaId, kind: 'caption', path, content: next })).toEqual({ written: true, path });
      expect(await readFile(path, 'utf8')).toBe(next);
      expect(await readdir(dir)).toEqual(['Council.vtt']);

      // A pending row does not make someone else's file ours.
      await writeFile(path, 'edited by hand');
      await db
        .updateTable('artifacts')
        .set({ state: 'pending', previous_sha256: sha256(content) })
        .where('path', '=', path)
        .execute();
      expect(await writeOwnedFile(db, { mediaId, kind: 'caption', path, content })).toMatchObject({ written: false });
      expect(await readFile(path, 'utf8')).toBe('edited by hand');
    });
  });

  it('the captions step places no file for words the recording cannot hold: the job is dead', async () => {
    const config = await loadConfig({ env: { ARCHIVIST_STATE_DIR: join(dir, 'state') }, cwd: dir });
    await testDb.use(async (db) => {
      const mediaId = await newMedia(db);
      // Two hours into a ten-second recording, well inside the 24 hours a transcript may span.
      const words = [
        { text: 'Order,', start: 7200, end: 7200.4 },
        { text: 'please.', start: 7200.5, end: 7201 },
      ];
      await saveTranscript(
        db,
        mediaId,
        { text: 'Order, please.', words, segments: [{ start: 7200, end: 7201, text: 'Order, please.' }] },
        {
          engine: 'whisper-cpp',
          model: 'base',
          fingerprint: 'test',
        },
      );
      await enqueueJob(db, { mediaId, kind: 'captions' }, { maxAttempts: 3 });
      const pipeline = testPipeline(config);
      const summary = await runPipeline({
        db,
        config,
        log: silent,
        signal: new AbortController().signal,
        steps: await pipelineSteps(pipeline.deps, ['captions']),
      });
      await pipeline.close();
      expect(summary).toMatchObject({ dead: 1, succeeded: 0 });
      const job = await db.selectFrom('jobs').select(['state', 'last_error']).where('media_id', '=', mediaId).executeTakeFirstOrThrow();
      expect(job.state).toBe('dead');
      expect(job.last_error).toMatch(/7200|02:00:0|beyond/);
    });
    expect((await readdir(dir)).filter((name) => name.startsWith('Council'))).toEqual([]);
  });
});
