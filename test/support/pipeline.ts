import { pino, type Logger } from 'pino';
import { createCablecastClient, type CablecastClient } from '../../src/lib/cablecast/client.js';
import { clientOptionsFromSettings } from '../../src/lib/cablecast/from-config.js';
import { progressFactory } from '../../src/lib/cli/progress.js';
import type { Config } from '../../src/lib/config/schema.js';
import type { PipelineDeps } from '../../src/lib/pipeline/deps.js';
import { resolveEngine } from '../../src/lib/pipeline/resolve-engine.js';
import { UsageError } from '../../src/lib/errors.js';
import { cliEnv } from './cli.js';

export const silent: Logger = pino({ level: 'silent' });

/**
 * What a command hands the steps, for tests that drive the pipeline without a command: the
 * same lazily built Cablecast client, progress as log lines, a clean environment.
 */
export function testPipeline(config: Config, env: Record<string, string> = {}): { deps: PipelineDeps; close(): Promise<void> } {
  let client: CablecastClient | undefined;
  const deps: PipelineDeps = {
    config,
    engine: resolveEngine(config.engine),
    cablecast: () => {
      if (config.cablecast === undefined)
        return Promise.reject(new UsageError('no Cablecast in this test', [], { dependency: 'cablecast' }));
      client ??= createCablecastClient(clientOptionsFromSettings(config.cablecast), silent);
      return Promise.resolve(client);
    },
    progress: progressFactory({ interactive: false, stream: process.stderr, log: silent }),
    env: cliEnv(env),
    now: () => new Date(),
    force: false,
    discardEdits: false,
    captionsOutDir: undefined,
  };
  return { deps, close: async () => client?.close() };
}
