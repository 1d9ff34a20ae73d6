import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { execa } from 'execa';
import { errorMessage } from '../errors.js';
import { defaultEngineCommand, engineCommand, engineKinds, type EngineConfig, type EngineKind } from '../transcription/engine-config.js';
import type { Env } from '../config/schema.js';
import type { CheckResult, DoctorCheck } from './check.js';

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
 * What each tool is asked: ffmpeg and ffprobe their version; each engine its help, the one
 * invocation every engine CLI supports and answers with exit 0 (whisper-cli `-h`; argparse's
 * `-h` for openai-whisper and whisper-ctranslate2, some of whose builds have no `--version`),
 * which shows that it loads and runs.
 */
const versionFlag: Record<'ffmpeg' | 'ffprobe' | EngineKind, string> = {
  ffmpeg: '-version',
  ffprobe: '-version',
  'whisper-cpp': '-h',
  'openai-whisper': '-h',
  'faster-whisper': '-h',
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
function howItFailed(result: {
  timedOut: boolean;
  exitCode?: number | undefined;
  signal?: string | undefined;
  code?: string | undefined;
}): string {
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

/** ffmpeg, ffprobe and the configured engine must run; another engine kind found is shown, one absent is not. */
export const toolsCheck: DoctorCheck = async ({ engine, env, cwd }) => {
  const tools = await checkTools(engine, { env, cwd });
  return tools.flatMap((t): CheckResult[] => {
    const where = t.path ?? t.command;
    if (!t.required)
      return t.found && t.problem === undefined
        ? [{ name: `${t.tool} (not configured)`, status: 'ok', where, detail: t.version ?? 'runs' }]
        : [];
    const name = t.tool === engine.kind ? `engine ${t.tool}` : t.tool;
    if (!t.found || t.problem !== undefined) return [{ name, status: 'fail', exitCode: 3, where, detail: t.problem ?? 'not found' }];
    return [{ name, status: 'ok', where, detail: t.version ?? 'runs' }];
  });
};
