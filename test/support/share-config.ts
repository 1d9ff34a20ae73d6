import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The config most pipeline tests start from: one share site, the stub whisper-cli with a model
 * file in `dir`, outputs and work under `dir`, and discovery that takes a file at once.
 * `extra` adds or replaces top-level sections; `name` lets one test keep several configs side
 * by side. Returns the config file's path.
 */
export async function writeShareConfig(
  dir: string,
  share: string,
  extra: Record<string, unknown> = {},
  name = 'config.json',
): Promise<string> {
  const model = join(dir, 'ggml-base.en.bin');
  await writeFile(model, 'stub model');
  const config = join(dir, name);
  await writeFile(
    config,
    JSON.stringify({
      sites: [{ key: 'flex1', name: 'Birchwood', share }],
      engine: { kind: 'whisper-cpp', model },
      paths: { output: join(dir, 'out'), work: join(dir, 'work') },
      discovery: { settleSeconds: 0, recheckSeconds: 0 },
      ...extra,
    }),
  );
  return config;
}
