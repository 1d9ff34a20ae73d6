import { sql } from 'kysely';
import type { Logger } from 'pino';
import { cablecastFromConfig } from '../cablecast/from-config.js';
import type { Config } from '../config.js';
import { describeDatabase, openDatabase } from '../db/connect.js';
import { errorMessage } from '../errors.js';

export interface ServiceCheck {
  service: 'database' | 'cablecast';
  where: string;
  ok: boolean;
  /** Not configured is not a failure: Cablecast is optional. */
  configured: boolean;
  detail: string;
}

/** Opens the job database (migrating it) and asks it one question. Never throws. */
export async function checkDatabase(config: Config): Promise<ServiceCheck> {
  const target = describeDatabase({ ...(config.database.url ? { url: config.database.url } : {}), stateDir: config.paths.state });
  try {
    const handle = await openDatabase({
      ...(config.database.url ? { url: config.database.url } : {}),
      stateDir: config.paths.state,
      embeddedLockWaitSeconds: config.database.embeddedLockWaitSeconds,
    });
    try {
      const row = await sql<{ version: string }>`select version() as version`.execute(handle.db);
      return {
        service: 'database',
        where: `${target.kind} ${target.location}`,
        ok: true,
        configured: true,
        detail: row.rows[0]?.version.split(',')[0] ?? 'answers',
      };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { service: 'database', where: `${target.kind} ${target.location}`, ok: false, configured: true, detail: errorMessage(error) };
  }
}

/** Lists Cablecast's locations with the configured credentials. Never throws. */
export async function checkCablecast(config: Config, log: Logger): Promise<ServiceCheck> {
  const client = cablecastFromConfig(config, log);
  if (!client) return { service: 'cablecast', where: '-', ok: true, configured: false, detail: 'not configured (cablecast.url)' };
  try {
    const locations = await client.listLocations();
    return {
      service: 'cablecast',
      where: client.baseUrl,
      ok: true,
      configured: true,
      detail: `answers; locations: ${locations.map((l) => `${l.id} ${l.name}`).join(', ') || '(none)'}`,
    };
  } catch (error) {
    return { service: 'cablecast', where: client.baseUrl, ok: false, configured: true, detail: errorMessage(error) };
  } finally {
    await client.close();
  }
}
