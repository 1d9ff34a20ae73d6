import { resolve } from 'node:path';
import { execa } from 'execa';
import { UnavailableError } from '../errors.js';

export interface ToolResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/**
 * Runs ffmpeg/ffprobe and returns its output whatever the exit code, so callers can turn a
 * failure into a reason about the input. Only "the tool is not there" is thrown here, as
 * UnavailableError, because no input can fix that.
 */
export async function runMediaTool(
  command: string,
  args: readonly string[],
  options: { signal?: AbortSignal | undefined } = {},
): Promise<ToolResult> {
  const result = await execa(command, args, {
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: true,
    ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
  });
  if (result.code === 'ENOENT' || result.code === 'EACCES') {
    throw new UnavailableError(`${command} is not installed or not executable (${result.code}); install ffmpeg`, 'ffmpeg', {
      cause: result,
    });
  }
  if (result.isCanceled) {
    throw options.signal?.reason instanceof Error ? options.signal.reason : new Error(`${command} was cancelled`);
  }
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** The last non-empty lines of a tool's stderr: enough to explain a failure, short enough for a log line. */
export function stderrTail(stderr: string, lines = 5): string {
  return stderr
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(-lines)
    .join(' | ');
}

/**
 * Names a local file to ffmpeg/ffprobe unambiguously: without the `file:` protocol a name like
 * "Council: 2022-01-11.mp4" or "-x.mp4" could be read as a protocol or an option.
 */
export function ffmpegInputUrl(path: string): string {
  return `file:${resolve(path)}`;
}
