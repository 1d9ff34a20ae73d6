import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { DEFAULT_SERVICE_CONFIG, SERVICE_CACHE_DIR, SERVICE_STATE_DIR, type ServicePaths } from './unit-options.js';
import { hiddenBy } from './hidden-paths.js';

/**
 * The configuration as the units will read it: the same file, but systemd's StateDirectory and
 * CacheDirectory in place of this shell's home, so the defaults land where the service's do.
 */
export async function serviceConfig(file: string | null, cwd: string): Promise<Config> {
  return loadConfig({
    file: file ?? undefined,
    env: { STATE_DIRECTORY: SERVICE_STATE_DIR, CACHE_DIRECTORY: SERVICE_CACHE_DIR },
    cwd,
  });
}

export function servicePaths(config: Config): ServicePaths {
  return { shares: config.sites.map((s) => ({ key: s.key, share: s.share })), ...config.paths };
}

/**
 * What the installer should hear before the units run: configured paths the sandbox would hide,
 * a config file an operator's commands do not read, and a state directory they would not find.
 */
export function installWarnings(config: Config, operatorState: string): string[] {
  const warnings: string[] = [];
  const named = [
    ...config.sites.map((s, i) => ({ key: `sites[${i}].share`, path: s.share })),
    { key: 'paths.work', path: config.paths.work },
    { key: 'paths.output', path: config.paths.output },
    { key: 'paths.state', path: config.paths.state },
    ...(config.source === null ? [] : [{ key: 'the config file', path: config.source }]),
  ];
  for (const { key, path } of named) {
    const hidden = hiddenBy(path);
    if (hidden !== undefined) warnings.push(`${key} ${path} is under ${hidden}: the units cannot see it; move it`);
  }
  if (config.source !== null && config.source !== DEFAULT_SERVICE_CONFIG) {
    warnings.push(`the units read ${config.source} (ARCHIVIST_CONFIG); an operator's commands read it only with --config or ARCHIVIST_CONFIG`);
  }
  if (operatorState !== config.paths.state && config.database.url === undefined) {
    warnings.push(
      `the service keeps its embedded database in ${config.paths.state}, but this shell's commands open ${operatorState}: ` +
        `name it in the config ("paths": {"state": "${config.paths.state}"}) and run \`sudo -u archivist archivist status\``,
    );
  }
  return warnings;
}
