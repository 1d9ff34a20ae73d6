import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errnoCode } from '../../../src/lib/errors.js';

/** Directory holding the stub `whisper-cli`, `whisper` and `whisper-ctranslate2`. */
export const STUB_BIN = join(dirname(fileURLToPath(import.meta.url)), 'bin');

/** Environment that puts the stubs first on PATH, plus the STUB_* switches given. */
export function stubEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: `${STUB_BIN}:${process.env.PATH ?? ''}`, ...extra };
}

export interface StubStart {
  event: 'start';
  tool: string;
  pid: number;
  /** When it was written (ms since the epoch): for benchmarks, never for a test's assertions. */
  at: number;
  argv: string[];
}

/** What a stub engine logs to STUB_ENGINE_LOG, one JSON line each (README.md in this folder). */
export type StubEvent =
  | StubStart
  /** STUB_ENGINE_AWAIT_AUDIO: audio not its own it saw appear (none: the wait ran out). */
  | { event: 'saw'; pid: number; at: number; files: string[] }
  /** As it exits: its own run time, and with STUB_ENGINE_AWAIT_AUDIO the audio not its own present then. */
  | { event: 'end'; tool: string; pid: number; at: number; code: number; ms: number; others?: string[] };

/** Every line of STUB_ENGINE_LOG, in the order written. */
export async function stubEvents(logPath: string): Promise<StubEvent[]> {
  let text: string;
  try {
    text = await readFile(logPath, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as StubEvent);
}

/** The engine starts recorded in STUB_ENGINE_LOG, one per process. */
export async function stubStarts(logPath: string): Promise<StubStart[]> {
  return (await stubEvents(logPath)).filter((event): event is StubStart => event.event === 'start');
}

/** Whether a process still exists (zombies excepted: they have exited). */
export async function processAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}
