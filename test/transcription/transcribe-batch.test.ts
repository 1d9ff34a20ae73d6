import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineConfig, EngineKind } from '../../src/lib/transcription/engine-config.js';
import { EngineFailedError, EngineNotInstalledError, EngineOutputError, EngineTimeoutError } from '../../src/lib/transcription/errors.js';
import { progressLogger } from '../../src/lib/cli/progress.js';
import { runEngine } from '../../src/lib/transcription/run-engine.js';
import { engineTimeoutMs, transcribeBatch, type BatchItem } from '../../src/lib/transcription/transcribe-batch.js';
import { processAlive, stubEnv, stubStarts } from '../support/engines/stub-engines.js';
import { readWavInfo, silenceWav, speechWavAt } from '../support/media.js';
import { defined } from '../support/defined.js';
import { until } from '../support/until.js';
import { compiled } from '../support/compiled.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN_ENGINE = compiled(fileURLToPath(new URL('../../src/lib/transcription/run-engine.ts', import.meta.url)));
const TEXT = 'the council will now come to order';
const quiet = pino({ level: 'silent' });

let dir: string;
let items: BatchItem[];
let modelFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-engines-'));
  modelFile = join(dir, 'ggml-base.en.bin');
  await writeFile(modelFile, 'not really a model');
  items = await Promise.all(
    ['first', 'second', 'third'].map(async (name) => {
      const audioPath = await speechWavAt(dir, `${name}.wav`, TEXT);
      return { id: name, audioPath, durationSec: (await readWavInfo(audioPath)).durationSec };
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function engineFor(kind: EngineKind, extra: Partial<EngineConfig> = {}): EngineConfig {
  return { kind, model: kind === 'whisper-cpp' ? modelFile : 'base', language: 'en', args: [], ...extra };
}

/** A fresh work dir and engine-start log per run, so each test sees only its own engine. */
async function run(
  engine: EngineConfig,
  batch: BatchItem[],
  stub: Record<string, string> = {},
  options: Partial<Parameters<typeof transcribeBatch>[2]> = {},
) {
  const workDir = await mkdtemp(join(dir, 'work-'));
  const log = join(workDir, '..', `${workDir.split('/').pop() ?? 'run'}.starts`);
  const pids = join(dir, `${workDir.split('/').pop() ?? 'run'}.pids`);
  const promise = transcribeBatch(engine, batch, {
    workDir,
    log: quiet,
    env: stubEnv({ STUB_ENGINE_LOG: log, STUB_ENGINE_PIDS: pids, STUB_WHISPER_TEXT: TEXT, ...stub }),
    ...options,
  });
  return {
    promise,
    workDir,
    starts: () => stubStarts(log),
    pids: async () => JSON.parse(await readFile(pids, 'utf8')) as { engine: number; helper: number },
  };
}

describe.each(['whisper-cpp', 'openai-whisper', 'faster-whisper'] as const)('%s', (kind) => {
  it('transcribes a batch of three files with one engine start', async () => {
    const fractions: number[] = [];
    const r = await run(engineFor(kind), items, {}, { onProgress: (f) => fractions.push(f) });
    const results = await r.promise;
    expect((await r.starts()).length).toBe(1);
    expect(results.map((x) => x.id)).toEqual(['first', 'second', 'third']);
    for (const result of results) {
      expect(result.error).toBeUndefined();
      expect(result.transcript?.words.map((w) => w.text).join(' ')).toBe(TEXT);
      const first = result.transcript?.words[0];
      expect(first?.start).toBeGreaterThanOrEqual(0);
      expect(result.transcript?.words.at(-1)?.end).toBeLessThanOrEqual(items[0]?.durationSec ?? 0);
    }
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(await readdir(r.workDir)).toEqual([]);
  });

  it('fails every item with the tail of stderr when the engine exits non-zero', async () => {
    const r = await run(engineFor(kind), items, { STUB_ENGINE_FAIL: 'exit' });
    const results = await r.promise;
    for (const result of results) {
      expect(result.error).toBeInstanceOf(EngineFailedError);
      expect(result.error?.message).toMatch(/exited with status \d+: .*(failed to process audio|CUDA error: out of memory)/);
    }
    expect(await readdir(r.workDir)).toEqual([]);
  });

  it('kills a hung engine and its helpers at the timeout, for a retry later', async () => {
    const r = await run(engineFor(kind), items, { STUB_ENGINE_FAIL: 'hang' }, { timeoutFactor: 0, minTimeoutMs: 1500, killGraceMs: 2000 });
    const results = await r.promise;
    for (const result of results) {
      expect(result.error).toBeInstanceOf(EngineTimeoutError);
      expect(result.error?.message).toMatch(/still running after 2 s for \d+ s of audio; killed it, will retry later/);
    }
    const pids = await r.pids();
    expect(await processAlive(pids.engine)).toBe(false);
    expect(await processAlive(pids.helper)).toBe(false);
  });

  it('names the file when the engine writes invalid JSON', async () => {
    const r = await run(engineFor(kind), items.slice(0, 1), { STUB_ENGINE_FAIL: 'bad-json' });
    const [result] = await r.promise;
    expect(result?.error).toBeInstanceOf(EngineOutputError);
    expect(result?.error?.message).toMatch(/^engine output \/.*\/0000\.json: \(transcript of .*first\.wav\) invalid JSON/);
    expect(result?.transcript).toBeUndefined();
  });

  it('keeps the good items of a batch when one output is bad', async () => {
    const r = await run(engineFor(kind), items, { STUB_ENGINE_FAIL: 'bad-json', STUB_ENGINE_FAIL_FILE: '0001' });
    const [a, b, c] = await r.promise;
    expect(a?.transcript?.words.length).toBeGreaterThan(0);
    expect(b?.error).toBeInstanceOf(EngineOutputError);
    expect(c?.transcript?.words.length).toBeGreaterThan(0);
  });

  it('reports a missing engine as not installed (exit 3)', async () => {
    const r = await run(engineFor(kind, { command: 'archivist-no-such-engine' }), items);
    const error = await r.promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineNotInstalledError);
    expect((error as EngineNotInstalledError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/"archivist-no-such-engine" is not installed/);
    expect(await readdir(r.workDir)).toEqual([]);
  });

  it('returns an empty transcript for silence rather than an error', async () => {
    const silent = await silenceWav(dir, `silence-${kind}.wav`);
    const r = await run(engineFor(kind), [{ id: 'quiet', audioPath: silent, durationSec: 2 }]);
    const [result] = await r.promise;
    expect(result?.error).toBeUndefined();
    expect(result?.transcript?.words).toEqual([]);
  });
});

describe('engine refusals reach the caller', () => {
  it('whisper.cpp: a WAV that is not 16 kHz mono fails that item with the reason', async () => {
    const stereo = await speechWavAt(dir, 'stereo44.wav', TEXT, { sampleRate: 44_100, channels: 2 });
    const batch = [defined(items[0], 'the first batch item'), { id: 'stereo', audioPath: stereo, durationSec: 2 }];
    const [good, bad] = await (await run(engineFor('whisper-cpp'), batch)).promise;
    expect(good?.transcript?.words.length).toBeGreaterThan(0);
    expect(bad?.error).toBeInstanceOf(EngineOutputError);
    expect(bad?.error?.message).toMatch(/exited 0 but wrote no transcript of .*stereo44\.wav: error: .*must be 16 kHz mono/);
  });

  it('whisper.cpp: an unknown flag in engine.args (which it answers with exit 0) is still an error', async () => {
    const r = await run(engineFor('whisper-cpp', { args: ['--vad_filter'] }), items.slice(0, 1));
    const [result] = await r.promise;
    expect(result?.error).toBeInstanceOf(EngineOutputError);
    expect(result?.error?.message).toMatch(/error: unknown argument: --vad_filter/);
  });

  it('openai-whisper: a faster-whisper-only flag is refused like argparse does', async () => {
    const [result] = await (await run(engineFor('openai-whisper', { args: ['--vad_filter', 'True'] }), items.slice(0, 1))).promise;
    expect(result?.error).toBeInstanceOf(EngineFailedError);
    expect(result?.error?.message).toMatch(/exited with status 2: whisper: error: unrecognized arguments: --vad_filter/);
  });

  it('faster-whisper: a missing converted model directory fails with its traceback line', async () => {
    const engine = engineFor('faster-whisper', { model: join(dir, 'no-such-ct2-model') });
    const [result] = await (await run(engine, items.slice(0, 1))).promise;
    expect(result?.error).toBeInstanceOf(EngineFailedError);
    expect(result?.error?.message).toMatch(/RuntimeError: Model file '.*no-such-ct2-model\/model\.bin' does not exists/);
  });

  it('whisper.cpp: a missing model fails with exit 3 and its reason', async () => {
    const [result] = await (await run(engineFor('whisper-cpp', { model: join(dir, 'missing.bin') }), items.slice(0, 1))).promise;
    expect(result?.error).toBeInstanceOf(EngineFailedError);
    expect(result?.error?.message).toMatch(/exited with status 3: .*failed to open .*missing\.bin.*failed to initialize whisper context/);
  });
});

describe('reading what the engine wrote', () => {
  it('refuses an output that is a symlink leading out of the output directory', async () => {
    const outside = join(dir, 'elsewhere.json');
    await writeFile(
      outside,
      JSON.stringify({
        text: ' not from this engine run',
        language: 'en',
        segments: [
          { start: 0, end: 1, text: ' not from this engine run', words: [{ word: ' not', start: 0, end: 0.5, probability: 0.9 }] },
        ],
      }),
    );
    // An openai-whisper stand-in that leaves, for each input, a link to a file outside instead of its JSON.
    const engine = join(dir, 'linking-whisper');
    await writeFile(
      engine,
      [
        '#!/bin/sh',
        'out=""; prev=""',
        'for a in "$@"; do [ "$prev" = "--output_dir" ] && out="$a"; prev="$a"; done',
        'for a in "$@"; do case "$a" in --*) break;; esac; b=$(basename "$a"); ln -s "$OUTSIDE" "$out/${b%.*}.json"; done',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const r = await run(engineFor('openai-whisper', { command: engine }), [defined(items[0], 'an item')], { OUTSIDE: outside });
    const [result] = await r.promise;
    expect(result?.transcript).toBeUndefined();
    expect(result?.error).toBeInstanceOf(EngineOutputError);
    expect(result?.error?.message).toMatch(/leads outside that directory through a symlink/);
  });
});

describe('stopping a running engine', () => {
  it('SIGKILLs a group that ignores SIGTERM once the grace period is over', async () => {
    const r = await run(
      engineFor('openai-whisper'),
      items,
      { STUB_ENGINE_FAIL: 'hang', STUB_ENGINE_IGNORE_SIGTERM: '1' },
      {
        timeoutFactor: 0,
        minTimeoutMs: 1500,
        killGraceMs: 300,
      },
    );
    const results = await r.promise;
    expect(results[0]?.error).toBeInstanceOf(EngineTimeoutError);
    const pids = await r.pids();
    expect(await processAlive(pids.engine)).toBe(false);
    expect(await processAlive(pids.helper)).toBe(false);
  });

  it('ends the engine group and rejects with the reason when the signal aborts', async () => {
    const controller = new AbortController();
    const r = await run(
      engineFor('whisper-cpp'),
      items,
      { STUB_ENGINE_FAIL: 'hang' },
      {
        signal: controller.signal,
        onProgress: () => {
          controller.abort(new Error('SIGTERM received'));
        },
        killGraceMs: 2000,
      },
    );
    await expect(r.promise).rejects.toThrow('SIGTERM received');
    const pids = await r.pids();
    expect(await processAlive(pids.engine)).toBe(false);
    expect(await processAlive(pids.helper)).toBe(false);
    expect(await readdir(r.workDir)).toEqual([]);
  });

  it('beats the lease while the engine runs, and stops the engine when the lease is lost', async () => {
    let beats = 0;
    let running = false;
    const r = await run(
      engineFor('faster-whisper'),
      items,
      { STUB_ENGINE_FAIL: 'hang' },
      {
        heartbeatEveryMs: 20,
        onProgress: () => {
          running = true;
        },
        heartbeat: () => {
          beats += 1;
          return running ? Promise.reject(new Error('lease lost to another host')) : Promise.resolve();
        },
      },
    );
    await expect(r.promise).rejects.toThrow('lease lost to another host');
    expect(beats).toBeGreaterThanOrEqual(1);
    const pids = await r.pids();
    expect(await processAlive(pids.engine)).toBe(false);
  });
});

describe('engineTimeoutMs', () => {
  it('scales with the audio and never drops below the floor', () => {
    expect(engineTimeoutMs(3600, { timeoutFactor: 2, minTimeoutMs: 60_000 })).toBe(7_200_000);
    expect(engineTimeoutMs(5, { timeoutFactor: 2, minTimeoutMs: 60_000 })).toBe(60_000);
    expect(engineTimeoutMs(100, {})).toBe(600_000);
  });

  it('kills the engine group when the process exits without waiting for it (a second signal)', async () => {
    const pidsFile = join(dir, 'exit-early.pids');
    const engine = `const { spawn } = require('node:child_process');
      const helper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      process.on('SIGTERM', () => {});
      // Written whole, then renamed: the parent acts as soon as the file exists.
      const fs = require('node:fs');
      fs.writeFileSync(${JSON.stringify(`${pidsFile}.tmp`)}, JSON.stringify({ engine: process.pid, helper: helper.pid }));
      fs.renameSync(${JSON.stringify(`${pidsFile}.tmp`)}, ${JSON.stringify(pidsFile)});
      setInterval(() => {}, 1000);`;
    const parent = `import { existsSync } from 'node:fs';
      import { runEngine } from ${JSON.stringify(RUN_ENGINE)};
      void runEngine(process.execPath, ['-e', ${JSON.stringify(engine)}], { timeoutMs: 60_000 });
      const started = setInterval(() => { if (existsSync(${JSON.stringify(pidsFile)})) { clearInterval(started); process.exit(0); } }, 50);`;
    const script = join(dir, 'exit-early.mjs');
    await writeFile(script, parent);
    const ran = await execa('node', [script], { cwd: ROOT, reject: false, timeout: 30_000 });
    expect(ran.exitCode).toBe(0);
    const pids = JSON.parse(await readFile(pidsFile, 'utf8')) as { engine: number; helper: number };
    try {
      await until('the engine group is gone', async () => !(await processAlive(pids.engine)) && !(await processAlive(pids.helper)));
    } finally {
      try {
        process.kill(-pids.engine, 'SIGKILL'); // leave nothing behind when the check fails
      } catch {
        // gone, as it should be
      }
    }
  });

  it('does not kill the engine at once when the limit is past what a timer can hold', async () => {
    const outcome = await runEngine(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { timeoutMs: engineTimeoutMs(1e7, {}) });
    expect(outcome).toMatchObject({ kind: 'exited', exitCode: 0 });
  });
});

describe('progressLogger', () => {
  it('logs once per 10 % step, not once per progress line', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
        done();
      },
    });
    const report = progressLogger(pino({}, sink), 'transcribing');
    for (const f of [0.01, 0.05, 0.1, 0.12, 0.19, 0.35, 0.36, 1]) report(f);
    expect(lines).toEqual(['transcribing: 10%', 'transcribing: 35%', 'transcribing: 100%']);
  });
});
