import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError, errnoCode } from '../errors.js';
import type { Env } from './schema.js';

function envNumber(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`invalid environment`, [`${name}: expected a number, got "${raw}"`]);
  return value;
}

function envBoolean(env: Env, name: string): boolean | undefined {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new UsageError(`invalid environment`, [`${name}: expected true or false, got "${raw}"`]);
}

/** Environment variables override the file, key by key (README, "Environment"). */
export function applyEnvironment(raw: Record<string, unknown>, env: Env): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...raw };
  const section = (key: string): Record<string, unknown> => {
    const current = merged[key];
    const copy: Record<string, unknown> = current && typeof current === 'object' && !Array.isArray(current) ? { ...current } : {};
    merged[key] = copy;
    return copy;
  };
  const set = (key: string, field: string, value: unknown): void => {
    if (value !== undefined && value !== '') section(key)[field] = value;
  };
  set('database', 'url', env.DATABASE_URL);
  set('engine', 'kind', env.ARCHIVIST_ENGINE);
  set('engine', 'command', env.ARCHIVIST_ENGINE_COMMAND);
  set('engine', 'model', env.ARCHIVIST_MODEL);
  set('engine', 'language', env.ARCHIVIST_LANGUAGE);
  set('paths', 'work', env.ARCHIVIST_WORK_DIR);
  set('paths', 'output', env.ARCHIVIST_OUTPUT_DIR);
  const cablecastFromEnv = [
    env.CABLECAST_URL,
    env.CABLECAST_USERNAME,
    env.CABLECAST_PASSWORD,
    env.CABLECAST_VERIFY_TLS,
    env.CABLECAST_CA_FILE,
  ].some((v) => v !== undefined && v !== '');
  if (cablecastFromEnv || merged.cablecast !== undefined) {
    set('cablecast', 'url', env.CABLECAST_URL);
    set('cablecast', 'username', env.CABLECAST_USERNAME);
    if (env.CABLECAST_PASSWORD) {
      const cablecast = section('cablecast');
      cablecast.password = env.CABLECAST_PASSWORD;
      delete cablecast.passwordFile;
    }
    set('cablecast', 'verifyTls', envBoolean(env, 'CABLECAST_VERIFY_TLS'));
    set('cablecast', 'caFile', env.CABLECAST_CA_FILE);
  }
  set('jobs', 'concurrency', envNumber(env, 'ARCHIVIST_CONCURRENCY'));
  return merged;
}

export async function readSecret(path: string, what: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new UsageError(`cannot read ${what} from ${path}: ${errnoCode(error) ?? String(error)}`, [], { cause: error });
  }
}

/** A systemd credential (LoadCredential=<name>:...) when the unit provides one. */
export async function credential(name: string, env: Env): Promise<string | undefined> {
  const dir = env.CREDENTIALS_DIRECTORY;
  if (!dir) return undefined;
  const path = join(dir, name);
  return existsSync(path) ? readSecret(path, `credential "${name}"`) : undefined;
}
