import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchPrompt } from '../../src/lib/pipeline/steps/transcribe-step.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv, stubStarts } from '../support/engines/stub-engines.js';
import { speechVideo, videoWithSilentFirstAudio } from '../support/media.js';
import { tableColumn } from '../support/table-column.js';

const SITES = [
  { key: 'flex1', vocabulary: ['Mayor Louismet', 'Hoffman Road'] },
  { key: 'flex8', vocabulary: ['Kowalczyk'] },
  { key: 'flex9' },
];

describe('the engine prompt', () => {
  it("is the batch's titles, then each of its sites' vocabulary, then the station's, each once", () => {
    const prompt = batchPrompt(
      [
        { site: 'flex8', title: 'White Bear Lake City Council' },
        { site: 'flex1', title: 'Birchwood Parks' },
        { site: 'flex8', title: 'White Bear Lake City Council' },
        { site: 'files', title: null },
      ],
      { sites: SITES, captions: { vocabulary: ['Ramsey County', 'kowalczyk'] } },
    );
    expect(prompt).toEqual({
      prompt: 'White Bear Lake City Council. Birchwood Parks. Kowalczyk, Mayor Louismet, Hoffman Road, Ramsey County.',
      estimatedTokens: expect.any(Number) as number,
      omitted: [],
    });
  });
});

describe(`transcribe: the prompt reaches the engine, a silent recording has no speech (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let video: string;
  const log = () => join(dir, 'engine.log');

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-prompt-'));
    video = await speechVideo(dir, '17601-1-Birchwood City Council (20220111).mp4', 'Mayor Louismet calls the meeting to order.');
    await writeFile(join(dir, 'ggml-base.en.bin'), 'stub model');
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['whisper-cpp', ['--prompt', 'Birchwood City Council. Louismet.']],
    ['faster-whisper', ['--initial_prompt=Birchwood City Council. Louismet.']],
  ] as const)('%s gets its flag and spells the names as the prompt does', async (kind, flag) => {
    const config = join(dir, `${kind}.json`);
    await writeFile(
      config,
      JSON.stringify({
        engine: { kind, model: kind === 'whisper-cpp' ? join(dir, 'ggml-base.en.bin') : 'base.en' },
        paths: { work: join(dir, 'work') },
        captions: { formats: ['srt'], vocabulary: ['Louismet'] },
      }),
    );
    // Heard in lower case: only the prompt can give the names their capitals.
    const env = {
      ...testDb.env,
      ...stubEnv({ STUB_WHISPER_TEXT: 'mayor louismet calls the birchwood city council to order', STUB_ENGINE_LOG: log() }),
    };
    const result = await testDb.run(['--config', config, 'transcribe', video, '--force'], env);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const argv = (await stubStarts(log())).at(-1)?.argv ?? [];
    const at = argv.indexOf(flag[0]);
    expect(argv.slice(at, at + flag.length)).toEqual(flag);
    const srt = await readFile(video.replace(/\.mp4$/, '.srt'), 'utf8');
    expect(srt).toContain('Louismet');
    expect(srt).toContain('Birchwood City Council');
  });

  it('says a silent recording has no speech, writes no captions for it and exits 0', async () => {
    const silent = await videoWithSilentFirstAudio(dir, 'test pattern.mp4', 'the second track is not transcribed');
    const config = join(dir, 'silent.json');
    await writeFile(
      config,
      JSON.stringify({ engine: { kind: 'whisper-cpp', model: join(dir, 'ggml-base.en.bin') }, paths: { work: join(dir, 'work') } }),
    );
    const result = await testDb.run(['--config', config, 'transcribe', silent], { ...testDb.env, ...stubEnv() });
    expect(result.exitCode).toBe(0);
    expect(tableColumn(result.stdout, 'result')).toContain('no speech: nothing to caption, no files written');
    expect(await readdir(dir)).not.toContain('test pattern.scc');
  });
});
