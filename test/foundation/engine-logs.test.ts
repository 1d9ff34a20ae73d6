import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capture } from '../support/cli.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { speechVideo } from '../support/media.js';

const SPOKEN = 'The meeting is called to order.';
const PRIORITY_BY_LEVEL: Record<number, number> = { 60: 2, 50: 3, 40: 4, 30: 6, 20: 7, 10: 7 };

describe(`engine starts and failures in the logs (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let config: string;
  let video: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-engine-logs-'));
    video = await speechVideo(dir, 'council.mp4', SPOKEN);
    const model = join(dir, 'ggml-base.en.bin');
    await writeFile(model, 'stub model');
    config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        engine: { kind: 'whisper-cpp', model },
        paths: { work: join(dir, 'work'), output: join(dir, 'out') },
        jobs: { maxAttempts: 1 },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('on a terminal: one line per event, no engine argument list at info, a failure one line with its reason', async () => {
    const stderr = new Capture({ isTTY: true });
    const env = stubEnv({ STUB_WHISPER_TEXT: SPOKEN, STUB_ENGINE_FAIL: 'exit', ARCHIVIST_LOG_LEVEL: 'info' });
    // --json keeps spinners off (stdout is for the JSON); the logs on the terminal stay readable lines.
    const result = await testDb.run(['--config', config, '--json', 'transcribe', video, '--out', join(dir, 'tty')], env, { stderr });
    expect(result.exitCode).toBe(1);
    const lines = stderr.text.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] (INFO|WARN|ERROR): \S/);
    expect(stderr.text).not.toContain('"args"');
    expect(stderr.text).not.toContain('--output-json');
    // The engine's failure, then the job's: each one line, each with the reason.
    expect(lines.filter((l) => l.includes('exited with status'))).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] WARN: whisper-cli exited with status \d+: .*failed to process audio \{/),
      expect.stringMatching(
        /^\[\d\d:\d\d:\d\d\] ERROR: job failed for good \{.*"error":"whisper-cli exited with status \d+: .*failed to process audio"/,
      ),
    ]);
  }, 60_000);

  it('under journald: every JSON line starts with its syslog priority, "command" once, the engine path as "engine", argv at debug', async () => {
    const env = stubEnv({ STUB_WHISPER_TEXT: SPOKEN, STUB_ENGINE_FAIL: 'exit', JOURNAL_STREAM: '8:12345' });
    const result = await testDb.run(['--config', config, '--log-level', 'debug', 'transcribe', video, '--out', join(dir, 'journal')], env);
    expect(result.exitCode).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    const records = lines.map((line) => {
      const match = /^<(\d)>(\{.*\})$/.exec(line);
      if (!match?.[1] || !match[2]) throw new Error(`not a <N>-prefixed JSON line: ${line}`);
      // JSON.parse keeps the last of two equal keys silently; count them in the text instead.
      expect(match[2].match(/"command":/g)?.length ?? 0).toBeLessThanOrEqual(1);
      const record = JSON.parse(match[2]) as { level: number; msg: string; engine?: string; args?: string[]; command?: string };
      expect(Number(match[1])).toBe(PRIORITY_BY_LEVEL[record.level]);
      return { priority: Number(match[1]), ...record };
    });
    const start = records.find((r) => r.msg.startsWith('starting '));
    expect(start).toMatchObject({ priority: 6, command: 'transcribe', engine: expect.stringContaining('whisper-cli') as unknown });
    expect(start).not.toHaveProperty('args');
    const argv = records.find((r) => r.args !== undefined);
    expect(argv).toMatchObject({ priority: 7, command: 'transcribe' });
    expect(argv?.args).toContain('-m');
    expect(records.find((r) => r.msg.includes('exited with status'))?.priority).toBe(4);
    expect(records.find((r) => r.msg.includes('failed for good'))?.priority).toBe(3);
  }, 60_000);
});
