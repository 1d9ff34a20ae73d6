import { sql } from 'kysely';
import type { CablecastClient } from '../cablecast/client.js';
import { CablecastAuthError } from '../cablecast/errors.js';
import { errorMessage } from '../errors.js';
import type { CheckResult, DoctorCheck } from './check.js';

/** Opens the job database (migrating it) and asks it one question. */
export function databaseCheck(where: string): DoctorCheck {
  return async ({ db }) => {
    try {
      const row = await sql<{ version: string }>`select version() as version`.execute(await db());
      return [{ name: 'database', status: 'ok', where, detail: row.rows[0]?.version.split(',')[0] ?? 'answers' }];
    } catch (error) {
      return [{ name: 'database', status: 'fail', exitCode: 3, where, detail: errorMessage(error) }];
    }
  };
}

type Probe = { answered: true; locations: string } | { answered: false; error: unknown };

async function listLocations(client: CablecastClient): Promise<Probe> {
  try {
    const locations = await client.listLocations();
    return { answered: true, locations: locations.map((l) => `${l.id} ${l.name}`).join(', ') || '(none)' };
  } catch (error) {
    return { answered: false, error };
  }
}

/**
 * Whether Cablecast answers, and whether it takes the configured credentials. Reads usually
 * work anonymously (../shared/reference/cablecast-api.md), so an answer to a read sent with
 * the credentials proves nothing by itself: the same read is sent without them too. A server
 * that refuses the anonymous read and answers ours has accepted the credentials; one that
 * refuses ours has refused them; one that answers both gives no way to tell without a write,
 * which doctor never makes: "unknown".
 */
export const cablecastCheck: DoctorCheck = async ({ config, cablecast }) => {
  if (cablecast === null)
    return [
      { name: 'cablecast', status: 'ok', where: '-', detail: 'not configured (cablecast.url): VOD discovery, uploads and links are off' },
    ];
  const withCredentials = await cablecast.client();
  const where = withCredentials.baseUrl;
  const ours = await listLocations(withCredentials);
  const user = config.cablecast?.username;
  if (!ours.answered) {
    const { error } = ours;
    if (error instanceof CablecastAuthError) {
      return [
        { name: 'cablecast', status: 'ok', where, detail: `answers (HTTP ${error.status} to GET /locations)` },
        {
          name: 'cablecast credentials',
          status: 'fail',
          exitCode: 2,
          where,
          detail:
            user === undefined
              ? `Cablecast requires credentials (HTTP ${error.status}): set cablecast.username and cablecast.password`
              : `Cablecast refused the credentials of user ${user} (HTTP ${error.status}): check cablecast.username and cablecast.password`,
        },
      ];
    }
    return [{ name: 'cablecast', status: 'fail', exitCode: 3, where, detail: errorMessage(error) }];
  }
  const reachable: CheckResult = { name: 'cablecast', status: 'ok', where, detail: `answers; locations: ${ours.locations}` };
  if (user === undefined) {
    return [
      reachable,
      {
        name: 'cablecast credentials',
        status: 'warn',
        where,
        detail: 'no cablecast.username: uploads and the write-back need a Cablecast user',
      },
    ];
  }
  const anonymousClient = cablecast.anonymous();
  const anonymous = await listLocations(anonymousClient).finally(() => anonymousClient.close());
  if (!anonymous.answered && anonymous.error instanceof CablecastAuthError) {
    return [
      reachable,
      {
        name: 'cablecast credentials',
        status: 'ok',
        where,
        detail: `accepted for user ${user} (Cablecast refuses the same read without them)`,
      },
    ];
  }
  return [
    reachable,
    {
      name: 'cablecast credentials',
      status: 'unknown',
      where,
      detail: `cannot tell: Cablecast answers reads with and without credentials, and only a write would show whether it accepts user ${user}'s`,
    },
  ];
};
