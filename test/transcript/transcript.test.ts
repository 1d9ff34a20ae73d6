import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadTranscript } from '../../src/lib/pipeline/transcripts.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { defined } from '../support/defined.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { speechVideoWithPause } from '../support/media.js';

const SPOKEN = 'The council will now come to order. Please rise for the pledge of allegiance.';

const transcriptJson = z.object({
  title: z.string(),
  site: z.string(),
  engine: z.string(),
  model: z.string(),
  paragraphs: z.array(z.object({ start: z.number(), end: z.number(), stamp: z.string(), text: z.string() })),
});

/** How many of `expected` appear in `actual` in order (longest common subsequence). */
function inOrder(expected: readonly string[], actual: readonly string[]): number {
  let previous = new Array<number>(actual.length + 1).fill(0);
  for (const word of expected) {
    const row = [0];
    for (let j = 1; j <= actual.length; j++) {
      row[j] = word === actual[j - 1] ? (previous[j - 1] ?? 0) + 1 : Math.max(previous[j] ?? 0, row[j - 1] ?? 0);
    }
    previous = row;
  }
  return previous[actual.length] ?? 0;
}

describe(`archivist transcript (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let config: string;
  let video: string;
  let mediaId: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-transcript-'));
    const model = join(dir, 'ggml-base.en.bin');
    await writeFile(model, 'stub model');
    config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ engine: { kind: 'whisper-cpp', model }, paths: { work: join(dir, 'work') } }));
    video = (await speechVideoWithPause(dir, 'council.mp4', [SPOKEN, SPOKEN], 3)).path;
    expect((await testDb.run(['--config', config, 'transcribe', video], { ...testDb.env, ...stubEnv() })).exitCode).toBe(0);
    mediaId = await testDb.use(async (db) => (await db.selectFrom('media').select('id').executeTakeFirstOrThrow()).id);
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('carries the words in order, a paragraph at the pause, each with its stamp', async () => {
    const result = await testDb.run(['--config', config, 'transcript', String(mediaId), '--format', 'json'], testDb.env);
    expect(result.exitCode).toBe(0);
    const transcript = transcriptJson.parse(JSON.parse(result.stdout));
    expect(transcript).toMatchObject({ title: 'council', site: 'files', engine: 'whisper-cpp' });
    const stored = await testDb.use(async (db) => defined(await loadTranscript(db, mediaId), 'the transcript').transcript.words);
    const words = transcript.paragraphs.flatMap((p) => p.text.split(' '));
    expect(
      inOrder(
        stored.map((w) => w.text),
        words,
      ) / stored.length,
    ).toBeGreaterThanOrEqual(0.98);
    expect(transcript.paragraphs.length).toBe(2);
    const [, second] = transcript.paragraphs;
    expect(defined(second, 'the second paragraph').start - defined(transcript.paragraphs[0], 'the first').end).toBeGreaterThan(2);
    for (const paragraph of transcript.paragraphs) {
      const seconds = Math.floor(paragraph.start);
      expect(paragraph.stamp).toBe(`00:00:${String(seconds).padStart(2, '0')}`);
    }

    const text = await testDb.run(['--config', config, 'transcript', video], testDb.env);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^council\n=+\nDate: \d{4}-\d{2}-\d{2}\nSite: files\n/u);
    expect(text.stdout).toContain('Transcribed by: whisper-cpp, model ');
    expect(text.stdout.match(/^\[\d\d:\d\d:\d\d\] /gmu)?.length).toBe(2);
  });

  it('writes --out atomically, replaces only its own file, and a foreign one only with --overwrite', async () => {
    const out = join(dir, 'council.md');
    const run = (...extra: string[]) =>
      testDb.run(['--config', config, 'transcript', String(mediaId), '--format', 'md', '--out', out, ...extra], testDb.env);
    expect((await run()).exitCode).toBe(0);
    const written = await readFile(out, 'utf8');
    expect(written).toMatch(/^# council\n\n- \*\*Date:\*\* /u);
    expect(written).toMatch(/\*\*\[00:00:0\d\]\*\* /u);
    expect((await run()).exitCode).toBe(0);

    const foreign = join(dir, 'minutes.txt');
    await writeFile(foreign, 'the clerk’s own minutes');
    const refused = await testDb.run(['--config', config, 'transcript', String(mediaId), '--out', foreign], testDb.env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('a file Archivist did not write is already there');
    expect(await readFile(foreign, 'utf8')).toBe('the clerk’s own minutes');
    const forced = await testDb.run(['--config', config, 'transcript', String(mediaId), '--out', foreign, '--overwrite'], testDb.env);
    expect(forced.exitCode).toBe(0);
    expect(await readFile(foreign, 'utf8')).toMatch(/^council\n=/u);
  });

  it('names what is wrong with the recording asked for', async () => {
    const unknown = await testDb.run(['--config', config, 'transcript', '999'], testDb.env);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('999: no media with this id');
  });
});
