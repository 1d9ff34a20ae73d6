import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UsageError, errnoCode, errorMessage } from '../errors.js';
import { applyEnvironment, credential, readSecret } from './environment.js';
import { configProblems } from './problems.js';
import { configSchema, type CablecastSettings, type Config, type Env } from './schema.js';

const DEFAULT_CONFIG_FILE = '/etc/archivist/config.json';

/** The config file to read: --config, then $ARCHIVIST_CONFIG, then the system file when present. */
export function configFileFor(explicit: string | undefined, env: Env, cwd: string): string | null {
  if (explicit) return resolve(cwd, explicit);
  if (env.ARCHIVIST_CONFIG) return resolve(cwd, env.ARCHIVIST_CONFIG);
  return existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : null;
}

/**
 * ARCHIVIST_STATE_DIR wins (an explicit choice), then the config's paths.state (relative to the
 * config file), then systemd's StateDirectory, then the XDG state dir.
 */
export function stateDir(env: Env, cwd: string, configured: { path: string; base: string } | undefined): string {
  if (env.ARCHIVIST_STATE_DIR) return resolve(cwd, env.ARCHIVIST_STATE_DIR);
  if (configured) return resolve(configured.base, configured.path);
  if (env.STATE_DIRECTORY) return resolve(cwd, env.STATE_DIRECTORY.split(':')[0] ?? env.STATE_DIRECTORY);
  const base = env.XDG_STATE_HOME ?? join(env.HOME ?? homedir(), '.local', 'state');
  return join(base, 'archivist');
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    throw new UsageError(`cannot read config file ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? errorMessage(error))}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${file} is not valid JSON: ${errorMessage(error)}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`config file ${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

export interface LoadConfigOptions {
  /** --config; relative to `cwd`. */
  file?: string | undefined;
  env: Env;
  /** What relative paths on the command line and in the environment are relative to. */
  cwd: string;
}

/** The file (or none), the environment over it, secrets read, and every path made absolute. */
export async function loadConfig(options: LoadConfigOptions): Promise<Config> {
  const { env, cwd } = options;
  const file = configFileFor(options.file, env, cwd);
  const raw = file ? await readConfigFile(file) : {};
  const result = configSchema.safeParse(applyEnvironment(raw, env));
  const where = `invalid configuration${file ? ` in ${file}` : ''}`;
  if (!result.success) throw new UsageError(where, configProblems(result.error));
  const parsed = result.data;
  // Relative paths in a config file mean "relative to that file", as a reader would expect.
  const base = file ? dirname(file) : cwd;

  const sites = parsed.sites.map((site) => ({ ...site, share: resolve(base, site.share) }));
  const duplicate = sites.findIndex((site, i) => sites.findIndex((other) => other.key === site.key) !== i);
  if (duplicate >= 0) throw new UsageError(where, [`sites[${duplicate}].key: "${sites[duplicate]?.key ?? ''}" is used twice`]);

  const state = stateDir(env, cwd, parsed.paths.state === undefined ? undefined : { path: parsed.paths.state, base });
  const defaultWork = env.CACHE_DIRECTORY ? join(resolve(cwd, env.CACHE_DIRECTORY), 'work') : join(state, 'work');
  const paths = {
    state,
    work: parsed.paths.work ? resolve(base, parsed.paths.work) : defaultWork,
    output: parsed.paths.output ? resolve(base, parsed.paths.output) : join(state, 'output'),
  };

  let cablecast: CablecastSettings | undefined;
  if (parsed.cablecast) {
    const { passwordFile, ...rest } = parsed.cablecast;
    const password =
      rest.password ??
      (await credential('cablecast-password', env)) ??
      (passwordFile ? await readSecret(resolve(base, passwordFile), 'cablecast.passwordFile') : undefined);
    cablecast = { ...rest, password, caFile: rest.caFile === undefined ? undefined : resolve(base, rest.caFile) };
  }

  const databaseUrl = parsed.database.url ?? (await credential('database-url', env));
  return { ...parsed, sites, cablecast, paths, database: { ...parsed.database, url: databaseUrl }, source: file };
}
