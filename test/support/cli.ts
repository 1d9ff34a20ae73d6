import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Environment for a spawned CLI: nothing from the developer's own setup leaks in. */
export function cliEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ARCHIVIST_LOG_LEVEL: 'warn',
  };
  return { ...env, ...extra };
}

/** Runs the built CLI (npm test builds first). Never throws on a non-zero exit. */
export function runCli(args: string[], env: Record<string, string>, cwd?: string) {
  return execa('node', [CLI, ...args], { env: cliEnv(env), extendEnv: false, reject: false, ...(cwd ? { cwd } : {}) });
}
