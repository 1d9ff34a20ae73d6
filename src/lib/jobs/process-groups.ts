import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Db, Job } from '../db/schema.js';
import { processStartTime } from '../process/proc-stat.js';
import { endRecordedGroup } from '../process/process-group.js';

/** How long a leftover engine group gets between SIGTERM and SIGKILL: a dead archivist waits for nothing. */
const LEFTOVER_GRACE_MS = 5_000;

/**
 * Records the process group a step started on the jobs this worker holds, with this host and
 * the group leader's start time: a group id means nothing on another host, and a pid may be
 * reused once the group is gone.
 */
export async function recordProcessGroup(db: Db, workerId: string, jobs: readonly Job[], pgid: number): Promise<void> {
  if (jobs.length === 0) return;
  await db
    .updateTable('jobs')
    .set({ engine_host: hostname(), engine_pgid: pgid, engine_started: await processStartTime(pgid) })
    .where(
      'id',
      'in',
      jobs.map((job) => job.id),
    )
    .where('state', '=', 'running')
    .where('locked_by', '=', workerId)
    .execute();
}

/**
 * Ends the engine groups that stopped workers on this host left running for jobs no worker
 * holds any more (recovered after their lease ran out, or handed back): outside systemd
 * nothing else would, and a SIGKILLed archivist's detached engine holds the CPU or GPU for
 * hours. Each group is checked to still be the one recorded, then forgotten. Groups on
 * another host are left to that host's next run.
 */
export async function endLeftoverGroups(db: Db, log: Logger): Promise<void> {
  const leftovers = await db
    .selectFrom('jobs')
    .select(['id', 'engine_pgid', 'engine_started'])
    .where('engine_host', '=', hostname())
    .where('engine_pgid', 'is not', null)
    .where('state', '<>', 'running')
    .execute();
  if (leftovers.length === 0) return;
  const groups = new Map<number, string | null>();
  for (const job of leftovers) if (job.engine_pgid !== null) groups.set(job.engine_pgid, job.engine_started);
  for (const [pgid, started] of groups) {
    const result = await endRecordedGroup({ pgid, started }, LEFTOVER_GRACE_MS);
    if (result === 'ended') log.warn({ pgid }, 'ended an engine left running by a worker that stopped');
    else log.debug({ pgid, result }, 'no leftover engine group to end');
  }
  await db
    .updateTable('jobs')
    .set({ engine_host: null, engine_pgid: null, engine_started: null })
    .where(
      'id',
      'in',
      leftovers.map((job) => job.id),
    )
    .execute();
}
