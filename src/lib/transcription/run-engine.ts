import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { endGroup } from '../process/process-group.js';
import { EngineNotInstalledError } from './errors.js';
import { isProgressLine, LineSplitter } from './progress.js';

export type EngineStream = 'stdout' | 'stderr';

export interface RunEngineOptions {
  timeoutMs: number;
  /** How long the group gets between SIGTERM and SIGKILL. */
  killGraceMs?: number | undefined;
  signal?: AbortSignal | undefined;
  heartbeat?: (() => Promise<void>) | undefined;
  heartbeatEveryMs?: number | undefined;
  onLine?: (line: string, stream: EngineStream) => void;
  /** The engine's whole environment; without it, this process's. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Told the new process group's id (the engine's pid) as soon as it exists, to record it where
   * a later run can end the group should this process die. If it fails, the engine is stopped.
   */
  onStart?: ((pgid: number) => Promise<void>) | undefined;
}

export type EngineOutcome =
  | { kind: 'exited'; exitCode: number; stderrTail: string }
  | { kind: 'killed'; signal: string; stderrTail: string }
  | { kind: 'timed-out'; stderrTail: string };

/** setTimeout's ceiling (about 24.8 days); a longer delay fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const TAIL_LINES = 6;
/** Enough stderr lines to find a complaint above a usage text or traceback. */
const TAIL_KEPT = 80;
/** Lines worth quoting over the plain tail: usage text or a traceback can push the cause out of it. */
const complaint = /error|failed|exception|traceback/i;

/** The engine's own explanation: its last complaint lines if any, else its last lines. */
function summariseStderr(lines: readonly string[]): string {
  const complaints = lines.filter((line) => complaint.test(line) && !line.startsWith('Traceback'));
  return (complaints.length > 0 ? complaints.slice(-3) : lines.slice(-TAIL_LINES)).join(' | ');
}

/**
 * Runs an engine in its own process group and waits for it, feeding its output lines to
 * `onLine`. Ends the group on timeout (outcome "timed-out"), on abort and on a failed
 * heartbeat (both rethrown after the group is gone, so no engine outlives its job's lease).
 */
export async function runEngine(command: string, args: readonly string[], options: RunEngineOptions): Promise<EngineOutcome> {
  options.signal?.throwIfAborted();
  const child = execa(command, args, {
    detached: true,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    ...(options.env ? { env: options.env, extendEnv: false } : {}),
  });
  const tail: string[] = [];
  const watch = (stream: NodeJS.ReadableStream | null, name: EngineStream): void => {
    if (!stream) return;
    const splitter = new LineSplitter();
    const emit = (lines: string[]): void => {
      for (const line of lines) {
        if (name === 'stderr' && !isProgressLine(line) && line.trim() !== '') {
          tail.push(line.trim());
          if (tail.length > TAIL_KEPT) tail.shift();
        }
        options.onLine?.(line, name);
      }
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      emit(splitter.push(chunk));
      const progress = splitter.pendingProgress();
      if (progress !== undefined) options.onLine?.(progress, name);
    });
    stream.on('end', () => {
      emit(splitter.flush());
    });
  };
  // process.exit (a second signal, the stop deadline) runs no awaits, and the detached group
  // would outlive us holding the GPU: kill it outright on the way out.
  const killOnExit = (): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.on('exit', killOnExit);
  if (options.onStart && child.pid !== undefined) {
    // Recorded before its output is read, so anything the engine has said was said by a recorded engine.
    try {
      await options.onStart(child.pid);
    } catch (error) {
      await endGroup(child.pid, options.killGraceMs ?? 10_000);
      await child;
      process.off('exit', killOnExit);
      throw error;
    }
  }
  watch(child.stdout, 'stdout');
  watch(child.stderr, 'stderr');

  let stop: { why: 'timeout' } | { why: 'abort'; error: unknown } | undefined;
  let ending: Promise<void> | undefined;
  const end = (reason: NonNullable<typeof stop>): void => {
    if (stop || child.pid === undefined) return;
    stop = reason;
    ending = endGroup(child.pid, options.killGraceMs ?? 10_000);
  };
  // A bogus probe duration (a broken transport stream can claim years) must not turn into an immediate kill.
  const timer = setTimeout(
    () => {
      end({ why: 'timeout' });
    },
    Math.min(options.timeoutMs, MAX_TIMER_MS),
  );
  const onAbort = (): void => {
    end({ why: 'abort', error: options.signal?.reason });
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const exited = new AbortController();
  const beating = (async () => {
    const heartbeat = options.heartbeat;
    if (!heartbeat) return;
    while (!stop && !exited.signal.aborted) {
      try {
        await sleep(options.heartbeatEveryMs ?? 30_000, undefined, { signal: exited.signal });
      } catch {
        return; // the engine exited while we waited: no more beats are due
      }
      try {
        await heartbeat();
      } catch (error) {
        end({ why: 'abort', error });
      }
    }
  })();

  const result = await child;
  exited.abort();
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  if (child.pid !== undefined && !ending) {
    // The leader is done; end any helpers it left behind in its group.
    ending = endGroup(child.pid, options.killGraceMs ?? 10_000);
  }
  await ending;
  process.off('exit', killOnExit);
  await beating;

  if (result.code === 'ENOENT' || result.code === 'EACCES') {
    throw new EngineNotInstalledError(command, result.code, { cause: result });
  }
  const stderrTail = summariseStderr(tail);
  if (stop?.why === 'abort') throw stop.error;
  if (stop?.why === 'timeout') return { kind: 'timed-out', stderrTail };
  if (result.exitCode !== undefined) return { kind: 'exited', exitCode: result.exitCode, stderrTail };
  return { kind: 'killed', signal: result.signal ?? 'unknown signal', stderrTail };
}
