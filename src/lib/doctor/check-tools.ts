import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { execa } from 'execa';
import { errorMessage } from '../errors.js';
import { defaultEngineCommand, engineCommand, engineKinds, type EngineConfig, type EngineKind } from '../transcription/engine-config.js';
import type { Env } from '../config/schema.js';

export interface ToolCheck {
  /** "ffmpeg", "ffprobe", or the engine kind. */
  tool: string;
  command: string;
  /** The configured engine and ffmpeg/ffprobe are required; the other engine kinds are informational. */
  required: boolean;
  found: boolean;
  path?: string;
  version?: string | undefined;
  problem?: string;
}

/**
 * Which flag answers with something identifying: ffmpeg tools and whisper-ctranslate2 have a
 * version flag; whisper-cli and openai-whisper have none, so their help's first line shows
 * at least that the executable runs.
 */
const versionFlag: Record<'ffmpeg' | 'ffprobe' | EngineKind, string> = {
  ffmpeg: '-version',
  ffprobe: '-version',
  'whisper-cpp': '-h',
  'openai-whisper': '-h',
  'faster-whisper': '--version',
};

/** The command's environment and working directory, where tools are looked up and run. */
export interface ToolEnv {
  env: Env;
  cwd: string;
}

/** Resolves a command the way execvp would: a path as given (relative to `cwd`), a bare name along PATH. */
export async function findExecutable(command: string, env: Env, cwd: string): Promise<string | undefined> {
  const pathVariable = env.PATH ?? '';
  const candidates = command.includes('/')
    ? [isAbsolute(command) ? command : resolve(cwd, command)]
    : pathVariable
        .split(delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      // A directory passes the X_OK check too, but execvp skips it.
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // Not here or not executable: the next PATH entry may have it.
    }
  }
  return undefined;
}

export function firstLine(text: string): string | undefined {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '');
}

async function checkTool(tool: string, command: string, flag: string, required: boolean, where: ToolEnv): Promise<ToolCheck> {
  const path = await findExecutable(command, where.env, where.cwd);
  if (!path) return { tool, command, required, found: false, problem: `${command} not found on PATH` };
  try {
    const result = await execa(path, [flag], { reject: false, stdin: 'ignore', timeout: 15_000, env: where.env, extendEnv: false });
    const version = firstLine(result.stdout) ?? firstLine(result.stderr);
    if (result.failed && result.exitCode !== 0) {
      return {
        tool,
        command,
        required,
        found: true,
        path,
        version,
        problem: `${command} ${flag} failed: ${howItFailed(result)}`,
      };
    }
    return { tool, command, required, found: true, path, version };
  } catch (error) {
    return { tool, command, required, found: true, path, problem: errorMessage(error) };
  }
}

/** SIGILL, for one, is an engine built for CPU features this machine lacks. */
function howItFailed(result: { timedOut: boolean; exitCode?: number; signal?: string; code?: string }): string {
  if (result.timedOut) return 'timed out';
  if (result.exitCode !== undefined) return `exit ${result.exitCode}`;
  if (result.signal !== undefined) return `killed by ${result.signal}`;
  return result.code ?? 'could not be run';
}

/**
 * ffmpeg, ffprobe and every engine kind's executable: found where, and what it says about
 * itself. Never throws: a problem becomes the check's `problem`.
 */
export async function checkTools(engine: EngineConfig, where: ToolEnv): Promise<ToolCheck[]> {
  return Promise.all([
    checkTool('ffmpeg', 'ffmpeg', versionFlag.ffmpeg, true, where),
    checkTool('ffprobe', 'ffprobe', versionFlag.ffprobe, true, where),
    ...engineKinds.map((kind) => {
      const configured = kind === engine.kind;
      const command = configured ? engineCommand(engine) : defaultEngineCommand[kind];
      return checkTool(kind, command, versionFlag[kind], configured, where);
    }),
  ]);
}
