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
  tool: string;
  pid: number;
  argv: string[];
}

/** The engine starts recorded in STUB_ENGINE_LOG, one per process. */
export async function stubStarts(logPath: string): Promise<StubStart[]> {
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
    .map((line) => JSON.parse(line) as StubStart);
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
