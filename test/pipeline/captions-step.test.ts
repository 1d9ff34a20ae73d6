import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/lib/captions/transcript.js';
import { loadConfig } from '../../src/lib/config/load.js';
import type { Config } from '../../src/lib/config/schema.js';
import type { Db } from '../../src/lib/db/schema.js';
import { enqueueJob } from '../../src/lib/jobs/enqueue-job.js';
import { queuePolicy, runPipeline } from '../../src/lib/pipeline/run-pipeline.js';
import { pipelineSteps } from '../../src/lib/pipeline/steps/index.js';
import { saveTranscript, storedQuality } from '../../src/lib/pipeline/transcripts.js';
import { collectStatus } from '../../src/lib/status/collect-status.js';
import { renderStatus } from '../../src/lib/status/render-status.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { silent, testPipeline } from '../support/pipeline.js';

/** An openai-whisper segment: words 0.4 s apart, with Whisper's scores. */
function segment(text: string, start: number, scores: Record<string, number> = { no_speech_prob: 0.02, avg_logprob: -0.2 }) {
  const words = text
    .split(' ')
    .map((word, i) => ({ word: ` ${word}`, start: start + i * 0.4, end: start + i * 0.4 + 0.35, probability: 0.9 }));
  return { start, end: words.at(-1)?.end ?? start, text: ` ${text}`, words, ...scores };
}

/** Whisper's dead-air hallucination, marked as no speech by its own scores. */
const HALLUCINATION = segment('Thanks for watching!', 40, { no_speech_prob: 0.91, avg_logprob: -1.6 });

describe(`the captions step (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let share: string;
  let config: Config;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-captions-step-'));
    share = join(dir, 'flex-1');
    await mkdir(share);
    const file = join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({
        sites: [{ key: 'flex1', name: 'Birchwood', share }],
        paths: { work: join(dir, 'work'), output: join(dir, 'out') },
        pipeline: { retranscode: true },
        discovery: { recheckSeconds: 0 },
        captions: { formats: ['srt'], substitutions: [{ from: 'Council member', to: 'Councilmember' }], profanity: 'mask' },
      }),
    );
    config = await loadConfig({ file, env: { ARCHIVIST_STATE_DIR: join(dir, 'state') }, cwd: dir });
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A recording on the share, probed at `durationSec`, transcribed, its captions job queued. */
  async function recording(db: Db, name: string, durationSec: number, segments: unknown[]): Promise<{ id: number; path: string }> {
    const path = join(share, name);
    const media = await db
      .insertInto('media')
      .values({ site: 'flex1', path, source: 'share', duration_sec: durationSec })
      .returning('id')
      .executeTakeFirstOrThrow();
    await saveTranscript(db, media.id, parseTranscript({ segments }, name), {
      engine: 'faster-whisper',
      model: 'large-v2',
      fingerprint: 'f',
    });
    await enqueueJob(db, { mediaId: media.id, kind: 'captions' }, queuePolicy(config));
    return { id: media.id, path };
  }

  const captionRecordings = async (db: Db, mediaIds: number[]) => {
    const pipeline = testPipeline(config);
    try {
      return await runPipeline({
        db,
        config,
        log: silent,
        signal: new AbortController().signal,
        steps: await pipelineSteps(pipeline.deps, ['captions']),
        mediaIds,
      });
    } finally {
      await pipeline.close();
    }
  };

  const jobsOf = (db: Db, mediaId: number) =>
    db.selectFrom('jobs').select(['kind', 'state', 'last_error', 'output']).where('media_id', '=', mediaId).orderBy('id').execute();

  it('captions with the configured settings, keeps the report with the transcript, and goes on down the chain', async () => {
    await testDb.use(async (db) => {
      const media = await recording(db, 'council.mp4', 120, [
        segment('Good evening, Council member Kowalski.', 1),
        segment('This shitty budget is late.', 4),
        HALLUCINATION,
        segment('Добрый вечер 你好', 60),
      ]);
      const summary = await captionRecordings(db, [media.id]);
      expect(summary.succeeded).toBe(1);

      const srt = await readFile(join(dir, 'out', 'flex1', 'council.srt'), 'utf8');
      expect(srt).toContain('Councilmember Kowalski');
      expect(srt).toContain('s*****');
      expect(srt).toContain('Добрый вечер 你好');
      expect(srt).not.toContain('Thanks for watching');
      expect(await readFile(join(share, 'council.scc'), 'utf8')).toMatch(/^Scenarist_SCC V1\.0/);

      const jobs = await jobsOf(db, media.id);
      expect(jobs.map((j) => [j.kind, j.state])).toEqual([
        ['captions', 'succeeded'],
        ['retranscode', 'queued'],
      ]);
      expect(jobs[0]?.output).toMatchObject({
        captions: expect.any(Number) as number,
        warnings: [expect.stringMatching(/^SCC could not carry 13 characters, 1 line shown as a bracketed note/) as string],
        quality: { sccUncarried: 13, sccNotes: 1, droppedSegments: { 'no-speech': 1 } },
      });

      const row = await db
        .selectFrom('transcripts')
        .select(['no_speech', 'dropped', 'quality'])
        .where('media_id', '=', media.id)
        .executeTakeFirstOrThrow();
      expect(row.no_speech).toBe(false);
      expect(row.dropped).toMatchObject([{ text: 'Thanks for watching!', reason: 'no-speech', start: 40 }]);
      expect(storedQuality.parse(row.quality)).toMatchObject({ words: 12, droppedSegments: { 'no-speech': 1 }, sccUncarried: 13 });
    });
  });

  it('writes nothing for a recording with no speech, records it as such, ends its chain, and status shows it', async () => {
    await testDb.use(async (db) => {
      const media = await recording(db, 'test pattern.mp4', 120, [HALLUCINATION]);
      const summary = await captionRecordings(db, [media.id]);
      expect(summary.succeeded).toBe(1);
      expect(await readdir(share)).not.toContain('test pattern.scc');
      const jobs = await jobsOf(db, media.id);
      expect(jobs.map((j) => [j.kind, j.state])).toEqual([['captions', 'succeeded']]);
      expect(jobs[0]?.output).toMatchObject({ noSpeech: true, files: [] });
      const row = await db.selectFrom('transcripts').select('no_speech').where('media_id', '=', media.id).executeTakeFirstOrThrow();
      expect(row.no_speech).toBe(true);

      const status = await collectStatus(db, { kind: TEST_DB_KIND, location: 'test' });
      expect(status.captions.noSpeech).toMatchObject({ total: 1, recent: [{ mediaId: media.id, path: media.path }] });
      expect(status.captions.recent[0]).toMatchObject({ path: join(share, 'council.mp4'), quality: { sccUncarried: 13 } });
      const text = renderStatus(status, [], { width: { columns: 100, hard: false } });
      expect(text).toContain('No speech: 1 recording (no captions written, not retried)');
      expect(text).toContain(media.path);
      expect(text).toMatch(/council\.mp4 *│[^│]+│ \d+(\.\d)? +│ \d+\/\d+ +│ 0\.0% +│ 1 +│ 13 /u);
    });
  });

  it('kills the job of a transcript timed outside its recording, naming it, while the others are captioned', async () => {
    await testDb.use(async (db) => {
      const wrong = await recording(db, 'short.mp4', 30, [segment('Welcome to the meeting.', 1), segment('Item five.', 300)]);
      const right = await recording(db, 'parks.mp4', 30, [segment('Welcome to the parks board.', 1)]);
      const summary = await captionRecordings(db, [wrong.id, right.id]);
      expect(summary.deferred).toEqual([]);
      expect(summary).toMatchObject({ succeeded: 1, dead: 1 });
      const [job] = await jobsOf(db, wrong.id);
      expect(job?.state).toBe('dead');
      expect(job?.last_error).toMatch(
        /^transcript \d+ of .*short\.mp4: word 5 "Item" at 0:05:00\.4 \(300\.35 s\) is past the end of the recording/u,
      );
      expect(job?.last_error).toContain('transcribe the recording again');
      expect(await readdir(share)).not.toContain('short.scc');
      expect(await readdir(share)).toContain('parks.scc');
    });
  });
});
