import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSpeech, type SkipSilenceSettings } from '../../src/lib/media/extract-speech.js';
import type { Report } from '../../src/lib/report/model.js';
import { transcribeMedia } from '../../src/lib/transcription/transcribe-media.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv, stubStarts } from '../support/engines/stub-engines.js';
import { readWavInfo, silenceWav, speechAndSilence } from '../support/media.js';

const FIRST = 'the council will now come to order';
const SECOND = 'motion carries five to nothing';
const SKIP: SkipSilenceSettings = { enabled: true, thresholdDb: -40, minSeconds: 10, paddingSeconds: 1 };
/** The stub engine finds speech on a 20 ms frame grid, which a cut shifts by up to one frame. */
const STUB_GRID = 0.021;

let dir: string;
let meeting: { path: string; starts: number[] };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-skip-silence-'));
  meeting = await speechAndSilence(dir, 'recess.mp4', [15, FIRST, 40, SECOND, 12]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const engine = { kind: 'openai-whisper' as const, model: 'base', language: 'en', args: [] };

describe('skipping silence', () => {
  it('gives the engine only the speech, with the padding, in one extraction pass', async () => {
    const speech = await extractSpeech(meeting.path, join(dir, 'speech.wav'), SKIP);
    expect(speech.skipped?.stretches).toBe(3);
    const wav = await readWavInfo(speech.wavPath);
    expect(wav.durationSec).toBeCloseTo(speech.skipped?.engineSeconds ?? 0, 6);
    // Leading 15 s, middle 40 s and trailing 12 s: all but the inner padding (2 s a side of the middle, 1 s after and before the ends).
    expect(speech.skipped?.seconds).toBeGreaterThan(15 + 40 + 12 - 5);
    expect(speech.timeMap?.kept.length).toBe(2);
  });

  it('a word right after a skipped stretch lands at its true time, and no word is clipped at a boundary', async () => {
    const env = stubEnv({ STUB_WHISPER_TEXT: `${FIRST} ${SECOND}` });
    const log = pino({ level: 'silent' });
    const [whole] = await transcribeMedia(engine, [{ id: 'a', path: meeting.path }], { workRoot: join(dir, 'w1'), log, env });
    const [skipped] = await transcribeMedia(engine, [{ id: 'a', path: meeting.path }], {
      workRoot: join(dir, 'w2'),
      log,
      env,
      skipSilence: SKIP,
    });
    const heard = whole?.transcript?.words ?? [];
    const trimmed = skipped?.transcript?.words ?? [];
    // Every word heard whole is heard trimmed: the padding kept each one's start and end.
    expect(trimmed.map((w) => w.text)).toEqual(heard.map((w) => w.text));
    expect(heard.length).toBe(12);
    trimmed.forEach((word, i) => {
      expect(Math.abs(word.start - (heard[i]?.start ?? NaN))).toBeLessThan(STUB_GRID);
      expect(Math.abs(word.end - (heard[i]?.end ?? NaN))).toBeLessThan(STUB_GRID);
    });
    // "motion" follows the 40 s stretch: it is where the recording has it, not 38 s early.
    const motion = trimmed.find((w) => w.text === 'motion');
    expect(motion?.start).toBeGreaterThan(meeting.starts[3] ?? Infinity);
    expect(motion?.start).toBeLessThan((meeting.starts[3] ?? 0) + 0.5);
    expect(skipped?.skipped?.stretches).toBe(3);
    expect(whole?.skipped).toBeUndefined();
  });

  it('a recording that is all silence reaches no engine and has an empty transcript', async () => {
    const silent = await silenceWav(dir, 'slate.wav', 30);
    const starts = join(dir, 'starts.log');
    const [result] = await transcribeMedia(engine, [{ id: 's', path: silent }], {
      workRoot: join(dir, 'w3'),
      log: pino({ level: 'silent' }),
      env: stubEnv({ STUB_ENGINE_LOG: starts }),
      skipSilence: SKIP,
    });
    expect(result?.transcript).toEqual({ text: '', words: [], segments: [] });
    expect(result?.skipped).toMatchObject({ stretches: 1, seconds: 30, engineSeconds: 0 });
    expect(await stubStarts(starts)).toEqual([]);
    expect(await readdir(join(dir, 'w3'))).toEqual([]);
  });
});

describe(`transcribe skips silence by default and says so (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('records what was skipped on the job, reports it (the morning report too), and captions the speech after the silence at its time', async () => {
    const config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        engine: { kind: 'openai-whisper', model: 'base' },
        paths: { work: join(dir, 'work') },
        captions: { formats: ['srt'] },
      }),
    );
    const env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: `${FIRST} ${SECOND}` }) };
    const result = await testDb.run(['--config', config, 'transcribe', meeting.path], env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/skipped 6\d\.\d s of silence \(3 stretches\)/);
    const job = await testDb.use((db) => db.selectFrom('jobs').select('output').where('kind', '=', 'transcribe').executeTakeFirstOrThrow());
    expect(job.output).toMatchObject({ skippedSilence: { stretches: 3 } });
    const report = await testDb.run(['--config', config, '--json', 'report'], env);
    expect(report.exitCode, report.stderr).toBe(0);
    const [recording] = (JSON.parse(report.stdout) as Report).recordings;
    expect(recording?.transcript?.skippedSilence).toEqual({ stretches: 3, seconds: expect.closeTo(65, -1) as number });
    const text = await testDb.run(['--config', config, 'report'], env);
    expect(text.stdout.replace(/\s+/g, ' ')).toMatch(
      /engine: openai-whisper, model base, .*skipped 1 min 0\d s of silence \(3 stretches\)/,
    );
    const srt = await readFile(meeting.path.replace(/\.mp4$/, '.srt'), 'utf8');
    const motion = /(\d\d):(\d\d):(\d\d),(\d{3}) --> [^\n]*\n[^\n]*[Mm]otion/.exec(srt);
    const seconds = motion ? Number(motion[1]) * 3600 + Number(motion[2]) * 60 + Number(motion[3]) + Number(motion[4]) / 1000 : NaN;
    expect(Math.abs(seconds - (meeting.starts[3] ?? 0))).toBeLessThan(0.5);
  });
});
