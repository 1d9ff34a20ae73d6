import { sql } from 'kysely';
import type { CablecastClient } from '../cablecast/client.js';
import type { Db } from '../db/schema.js';
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
export async function checkDatabase(open: () => Promise<Db>, where: string): Promise<ServiceCheck> {
  try {
    const row = await sql<{ version: string }>`select version() as version`.execute(await open());
    return { service: 'database', where, ok: true, configured: true, detail: row.rows[0]?.version.split(',')[0] ?? 'answers' };
  } catch (error) {
    return { service: 'database', where, ok: false, configured: true, detail: errorMessage(error) };
  }
}

/** Lists Cablecast's locations with the configured credentials. Never throws. */
export async function checkCablecast(client: (() => Promise<CablecastClient>) | null): Promise<ServiceCheck> {
  if (client === null) return { service: 'cablecast', where: '-', ok: true, configured: false, detail: 'not configured (cablecast.url)' };
  let where = '-';
  try {
    const cablecast = await client();
    where = cablecast.baseUrl;
    const locations = await cablecast.listLocations();
    return {
      service: 'cablecast',
      where,
      ok: true,
      configured: true,
      detail: `answers; locations: ${locations.map((l) => `${l.id} ${l.name}`).join(', ') || '(none)'}`,
    };
  } catch (error) {
    return { service: 'cablecast', where, ok: false, configured: true, detail: errorMessage(error) };
  }
}
