import { mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import type { Logger } from 'pino';
import { readTranscriptFile, type Transcript } from '../captions/transcript.js';
import { errnoCode, errorMessage } from '../errors.js';
import { PathEscapeError, confinedPath } from '../fs/safe-path.js';
import { engineInvocation } from './command-line.js';
import type { EngineConfig } from './engine-config.js';
import { EngineFailedError, EngineOutputError, EngineTimeoutError } from './errors.js';
import { BatchProgress } from './progress.js';
import { runEngine, type EngineOutcome } from './run-engine.js';

export interface BatchItem {
  id: string;
  audioPath: string;
  durationSec: number;
}

export interface BatchResult {
  id: string;
  transcript?: Transcript;
  error?: Error;
}

export interface TranscribeBatchOptions {
  /** Scratch space for this batch (the job's scratch dir under `paths.work`). */
  workDir: string;
  log: Logger;
  signal?: AbortSignal;
  /** Overall fraction 0..1 of the batch's audio, as the engine reports it. */
  onProgress?: (fraction: number) => void;
  /** Extends the job lease; if it throws, the engine is stopped and the error rethrown. */
  heartbeat?: () => Promise<void>;
  heartbeatEveryMs?: number;
  /** Allowed run time per second of audio; the engine is killed past it. */
  timeoutFactor?: number;
  /** Floor for the timeout, covering model load on short batches. */
  minTimeoutMs?: number;
  killGraceMs?: number;
  /** Told the engine's process group id once it runs (see RunEngineOptions.onStart). */
  onEngineStart?: ((pgid: number) => Promise<void>) | undefined;
  /** The engine's whole environment (the command's, not this process's: tests run commands in-process). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Text the engine reads as what came before (names, titles: `buildEnginePrompt`); one for the whole batch. */
  prompt?: string;
}

/** The same defaults as engine.timeoutFactor and engine.minTimeoutMinutes. */
const DEFAULT_TIMEOUT_FACTOR = 3;
const DEFAULT_MIN_TIMEOUT_MS = 10 * 60_000;

export function engineTimeoutMs(totalSec: number, options: { timeoutFactor?: number; minTimeoutMs?: number }): number {
  const scaled = totalSec * 1000 * (options.timeoutFactor ?? DEFAULT_TIMEOUT_FACTOR);
  return Math.max(options.minTimeoutMs ?? DEFAULT_MIN_TIMEOUT_MS, Math.ceil(scaled));
}

/** Why an item has no output, from lines where the engine named its input (whisper.cpp, openai-whisper). */
const inputComplaint = /error|skipping|failed|cannot|exception/i;

/**
 * Transcribes all items in one engine process, so the model loads once per batch.
 *
 * Rejects only when nothing could run or the run must stop: EngineNotInstalledError (exit 3),
 * the abort reason when `signal` aborts, or the heartbeat's error. Every other failure is
 * reported per item: outputs the engine completed are used even when it later failed or
 * timed out; the rest carry EngineTimeoutError, EngineFailedError or EngineOutputError.
 */
export async function transcribeBatch(
  engine: EngineConfig,
  items: readonly BatchItem[],
  options: TranscribeBatchOptions,
): Promise<BatchResult[]> {
  if (items.length === 0) return [];
  await mkdir(options.workDir, { recursive: true });
  const runDir = await mkdtemp(join(options.workDir, 'engine-'));
  try {
    // Links with numbered names give every input a distinct stem, so no two outputs collide.
    const inputDir = join(runDir, 'in');
    const outputDir = join(runDir, 'out');
    await mkdir(inputDir);
    await mkdir(outputDir);
    const inputs = await Promise.all(
      items.map(async (item, i) => {
        const link = join(inputDir, `${String(i).padStart(4, '0')}${extname(item.audioPath) || '.wav'}`);
        await symlink(resolve(item.audioPath), link);
        return link;
      }),
    );
    const invocation = engineInvocation(engine, inputs, outputDir, options.prompt);
    const totalSec = items.reduce((sum, item) => sum + item.durationSec, 0);
    const timeoutMs = engineTimeoutMs(totalSec, options);
    const progress = new BatchProgress(items.map((item, i) => ({ path: inputs[i] ?? '', durationSec: item.durationSec })));
    const complaints = new Map<number, string[]>();

    // `engine`, not `command`: the command's logger already carries `command` (the archivist
    // command), and a JSON line must not hold one key twice. The argument list (20 lines of it
    // on a terminal) is for debugging only.
    options.log.info(
      { engine: invocation.command, files: items.length, audioSec: totalSec, timeoutMs },
      `starting ${invocation.command} for ${items.length} file(s)`,
    );
    options.log.debug({ engine: invocation.command, args: invocation.args }, `${invocation.command} command line`);
    const outcome = await runEngine(invocation.command, invocation.args, {
      timeoutMs,
      killGraceMs: options.killGraceMs,
      signal: options.signal,
      heartbeat: options.heartbeat,
      heartbeatEveryMs: options.heartbeatEveryMs,
      env: options.env,
      onStart: options.onEngineStart,
      onLine: (line) => {
        const fraction = progress.feed(line);
        if (fraction !== undefined) options.onProgress?.(fraction);
        if (inputComplaint.test(line)) {
          inputs.forEach((input, i) => {
            if (line.includes(input)) complaints.set(i, [...(complaints.get(i) ?? []), line.trim()].slice(-3));
          });
        }
      },
    });
    if (outcome.kind === 'exited' && outcome.exitCode === 0) {
      options.log.info({ engine: invocation.command, outcome: outcome.kind, exitCode: 0 }, `${invocation.command} finished`);
    } else {
      options.log.warn(
        { engine: invocation.command, outcome: outcome.kind, ...outcomeDetail(outcome) },
        `${invocation.command} ${outcomeWords(outcome, timeoutMs)}${outcome.stderrTail === '' ? '' : `: ${outcome.stderrTail}`}`,
      );
    }

    // One output at a time: each is a few megabytes of JSON, parsed into far more, and a
    // transcript is small once read; reading them all at once held every parse together.
    const results: BatchResult[] = [];
    for (const [i, item] of items.entries()) {
      const file = invocation.outputs[i] ?? '';
      const result = await readOutput(outputDir, file);
      if ('transcript' in result) {
        results.push({ id: item.id, transcript: result.transcript });
        continue;
      }
      const error = itemError(
        invocation.command,
        outcome,
        { timeoutMs, totalSec, file, source: item.audioPath },
        result,
        complaints.get(i)?.join(' | '),
      );
      results.push({ id: item.id, error });
    }
    return results;
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}

type OutputRead = { transcript: Transcript } | { missing: true } | { invalid: unknown };

/**
 * The engine's output for one input. It is read only from inside the output directory: a
 * symlink the engine left there pointing elsewhere is refused, not followed.
 */
async function readOutput(outputDir: string, file: string): Promise<OutputRead> {
  try {
    await confinedPath(outputDir, relative(outputDir, file));
  } catch (error) {
    if (error instanceof PathEscapeError) return { invalid: error };
    throw error;
  }
  try {
    await stat(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { missing: true };
    throw error;
  }
  try {
    return { transcript: await readTranscriptFile(file) };
  } catch (error) {
    return { invalid: error };
  }
}

function itemError(
  command: string,
  outcome: EngineOutcome,
  run: { timeoutMs: number; totalSec: number; file: string; source: string },
  read: { missing: true } | { invalid: unknown },
  complaint: string | undefined,
): Error {
  const { file, source } = run;
  switch (outcome.kind) {
    case 'timed-out':
      return new EngineTimeoutError(command, run.timeoutMs, run.totalSec);
    case 'killed':
      return new EngineFailedError(command, `was killed by ${outcome.signal}`, outcome.stderrTail);
    case 'exited':
      if (outcome.exitCode !== 0) {
        return new EngineFailedError(command, `exited with status ${outcome.exitCode}`, outcome.stderrTail);
      }
      if ('invalid' in read) {
        // The reader's message starts with the path already; keep the file named once.
        const problem = errorMessage(read.invalid).replace(`${file}: `, '');
        return new EngineOutputError(file, `(transcript of ${source}) ${problem}`, { cause: read.invalid });
      }
      return new EngineOutputError(
        file,
        `${command} exited 0 but wrote no transcript of ${source}` +
          (complaint ? `: ${complaint}` : outcome.stderrTail ? `; it said: ${outcome.stderrTail}` : ''),
      );
  }
}

function outcomeWords(outcome: EngineOutcome, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'exited':
      return `exited with status ${outcome.exitCode}`;
    case 'killed':
      return `was killed by ${outcome.signal}`;
    case 'timed-out':
      return `was still running after ${Math.round(timeoutMs / 1000)} s and was stopped`;
  }
}

function outcomeDetail(outcome: EngineOutcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'exited':
      return { exitCode: outcome.exitCode };
    case 'killed':
      return { signal: outcome.signal };
    case 'timed-out':
      return {};
  }
}
