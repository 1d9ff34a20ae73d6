import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadTranscript } from '../../src/lib/pipeline/transcripts.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { defined } from '../support/defined.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { speechVideoWithPause } from '../support/media.js';

/** What the stub engines hear: six words over each stretch of speech, the phrase in the second. */
const HEARD = 'good evening everyone and welcome back next the patio permit for Lakeview';
/** Spoken twice, 3 s apart, so both stretches last as long and each gets six of the words. */
const SPOKEN = 'next the patio permit for Lakeview';
/** "next the " is a quarter of the second stretch's letters: where "patio" is said in it. */
const PATIO_INTO_STRETCH = 0.5;

const hitSchema = z.array(
  z.object({ mediaId: z.number(), path: z.string(), title: z.string().nullable(), start: z.number(), end: z.number(), text: z.string() }),
);

describe(`archivist search (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let config: string;
  let recordings: { engine: string; path: string; secondStarts: number }[];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-search-'));
    const model = join(dir, 'ggml-base.en.bin');
    await writeFile(model, 'stub model');
    config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ engine: { kind: 'whisper-cpp', model }, paths: { work: join(dir, 'work') } }));
    const made = await Promise.all(
      ['council-cpp.mp4', 'council-faster.mp4'].map((name) => speechVideoWithPause(dir, name, [SPOKEN, SPOKEN], 3)),
    );
    recordings = [
      { engine: 'whisper-cpp', ...defined(made[0], 'the first recording') },
      { engine: 'faster-whisper', ...defined(made[1], 'the second recording') },
    ];
    const env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: HEARD }) };
    const [cpp, faster] = recordings;
    expect((await testDb.run(['--config', config, 'transcribe', defined(cpp, 'the whisper.cpp recording').path], env)).exitCode).toBe(0);
    const fasterRun = await testDb.run(
      [
        '--config',
        config,
        'transcribe',
        defined(faster, 'the faster-whisper recording').path,
        '--engine',
        'faster-whisper',
        '--model',
        'base.en',
      ],
      env,
    );
    expect(fasterRun.exitCode).toBe(0);
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const search = async (...args: string[]) => {
    const result = await testDb.run(['--config', config, '--json', 'search', ...args], testDb.env);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    return hitSchema.parse(JSON.parse(result.stdout));
  };

  it('finds a quoted phrase in recordings transcribed by each engine family, timed to its words', async () => {
    const hits = await search('"patio permits"');
    expect(hits.map((hit) => hit.path).sort()).toEqual(recordings.map((r) => r.path).sort());
    for (const recording of recordings) {
      const hit = defined(
        hits.find((h) => h.path === recording.path),
        `a hit in ${recording.path}`,
      );
      expect(Math.abs(hit.start - (recording.secondStarts + PATIO_INTO_STRETCH)), recording.engine).toBeLessThan(1);
      const words = await testDb.use(async (db) => defined(await loadTranscript(db, hit.mediaId), 'its transcript').transcript.words);
      const patio = defined(
        words.find((w) => w.text.toLowerCase().startsWith('patio')),
        'the word patio',
      );
      const permit = defined(
        words.find((w) => w.text.toLowerCase().startsWith('permit')),
        'the word permit',
      );
      expect(hit.start).toBeCloseTo(patio.start, 3);
      expect(hit.end).toBeCloseTo(permit.end, 3);
      expect(hit.text).toContain('the «patio permit» for');
    }
  });

  it('returns no hits for a phrase nobody said, nor for its words in another order', async () => {
    expect(await search('"zoning variance"')).toEqual([]);
    expect(await search('"permit patio"')).toEqual([]);
    expect(await search('patio -lakeview')).toEqual([]);
  });

  it('prints the hits for a person, and refuses an unknown site', async () => {
    const shown = await testDb.run(['--config', config, 'search', 'patio', '--limit', '1'], testDb.env);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toMatch(/\[00:00:0\d–00:00:0\d\]/);
    expect(shown.stdout).toContain('«patio»');
    expect(shown.stdout).toContain('1 hit');
    const unknown = await testDb.run(['--config', config, 'search', 'patio', '--site', 'nowhere'], testDb.env);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('--site');
  });
});
