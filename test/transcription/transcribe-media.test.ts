import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/lib/errors.js';
import { MediaProblem } from '../../src/lib/media/media-problem.js';
import { EngineTimeoutError } from '../../src/lib/transcription/errors.js';
import { transcribeMedia } from '../../src/lib/transcription/transcribe-media.js';
import { stubEnv, stubStarts } from '../support/engines/stub-engines.js';
import { speechVideo, videoWithoutAudio } from '../support/media.js';

const TEXT = 'motion carries five to nothing';
let dir: string;
let recordings: { speech: string; other: string; mute: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-media-tx-'));
  recordings = {
    speech: await speechVideo(dir, '17601-1-Birchwood City Council (20220111).mp4', TEXT),
    other: await speechVideo(dir, '17602-1-Birchwood Planning (20220112).mp4', TEXT),
    mute: await videoWithoutAudio(dir, 'no-audio.mp4'),
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('transcribeMedia', () => {
  it('extracts, transcribes in one engine run, fails the file without audio alone, and cleans up', async () => {
    const workRoot = join(dir, 'work');
    const log = join(dir, 'starts.log');
    const results = await transcribeMedia(
      { kind: 'openai-whisper', model: 'base', language: 'en', args: [] },
      [
        { id: 'a', path: recordings.speech },
        { id: 'mute', path: recordings.mute },
        { id: 'b', path: recordings.other },
      ],
      { workRoot, log: pino({ level: 'silent' }), env: stubEnv({ STUB_ENGINE_LOG: log, STUB_WHISPER_TEXT: TEXT }) },
    );
    expect(results.map((r) => r.id)).toEqual(['a', 'mute', 'b']);
    expect(results[0]?.transcript?.text).toBe(TEXT);
    expect(results[1]?.error).toBeInstanceOf(MediaProblem);
    expect(results[1]?.error?.message).toMatch(/no-audio\.mp4: has no audio stream/);
    expect(results[2]?.transcript?.words.length).toBe(5);
    const starts = await stubStarts(log);
    expect(starts.length).toBe(1);
    expect(starts[0]?.argv.filter((a) => a.endsWith('.wav')).length).toBe(2);
    expect(await readdir(workRoot)).toEqual([]);
  });

  it('removes the scratch directory when the engine times out', async () => {
    const workRoot = join(dir, 'work-timeout');
    const [result] = await transcribeMedia(
      { kind: 'whisper-cpp', model: recordings.speech, language: 'en', args: [] },
      [{ id: 'a', path: recordings.speech }],
      {
        workRoot,
        log: pino({ level: 'silent' }),
        env: stubEnv({ STUB_ENGINE_FAIL: 'hang' }),
        timeoutFactor: 0,
        minTimeoutMs: 1000,
        killGraceMs: 500,
      },
    );
    expect(result?.error).toBeInstanceOf(EngineTimeoutError);
    expect(await readdir(workRoot)).toEqual([]);
  });

  it('stops everything when the engine is not installed', async () => {
    const workRoot = join(dir, 'work-missing');
    await expect(
      transcribeMedia(
        { kind: 'faster-whisper', command: 'archivist-missing-engine', model: 'base', language: 'en', args: [] },
        [{ id: 'a', path: recordings.speech }],
        {
          workRoot,
          log: pino({ level: 'silent' }),
        },
      ),
    ).rejects.toBeInstanceOf(UnavailableError);
    expect(await readdir(workRoot)).toEqual([]);
  });
});
