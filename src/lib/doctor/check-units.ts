import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { errnoCode, errorMessage } from '../errors.js';
import { SCHEDULED_COMMANDS } from '../systemd/schedules.js';
import { servicePaths } from '../systemd/service-config.js';
import { SERVICE_CACHE_DIR, SERVICE_STATE_DIR, neededPaths } from '../systemd/unit-options.js';

export interface UnitsCheck {
  where: string;
  ok: boolean;
  /** No units installed there: nothing to compare, which is not a failure. */
  installed: boolean;
  detail: string;
}

/** Every path a unit's ReadWritePaths= lines name, "-" (skip when missing) taken off. */
export function readWritePathsOf(unitText: string): string[] {
  return unitText
    .split('\n')
    .filter((line) => line.startsWith('ReadWritePaths='))
    .flatMap((line) => line.slice('ReadWritePaths='.length).trim().split(/\s+/))
    .filter((p) => p !== '')
    .map((p) => p.replace(/^[-+]+/, ''));
}

function within(path: string, dirs: readonly string[]): boolean {
  return dirs.some((dir) => path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`));
}

/**
 * Whether the installed units can write where `config` (as the service reads it) points: each
 * unit's ReadWritePaths= against the shares, work, output and state paths. A config changed
 * after `systemd install` fails here tonight with EROFS; this says so in advance.
 */
export async function checkInstalledUnits(config: Config, unitDir: string): Promise<UnitsCheck> {
  const needed = neededPaths(servicePaths(config));
  const problems: string[] = [];
  let installed = 0;
  for (const job of SCHEDULED_COMMANDS) {
    const path = join(unitDir, job.service);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') continue;
      return { where: path, ok: false, installed: true, detail: `cannot read it: ${errorMessage(error)}` };
    }
    installed += 1;
    // StateDirectory= and CacheDirectory= are writable whatever ReadWritePaths= says.
    const writable = [SERVICE_STATE_DIR, SERVICE_CACHE_DIR, ...readWritePathsOf(text)];
    for (const p of needed.filter((n) => job.writesShares || n.key === 'paths.state')) {
      if (!within(p.path, writable)) problems.push(`${job.service} cannot write ${p.key} ${p.path}`);
    }
  }
  if (installed === 0) return { where: unitDir, ok: true, installed: false, detail: 'no archivist units installed here' };
  if (problems.length > 0) {
    return {
      where: unitDir,
      ok: false,
      installed: true,
      detail: `${problems.join('; ')} (not in ReadWritePaths=): run archivist systemd install again`,
    };
  }
  return {
    where: unitDir,
    ok: true,
    installed: true,
    detail: `the units can write every path the config names (${needed.length} outside their own directories)`,
  };
}
