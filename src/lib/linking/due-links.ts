import { sql } from 'kysely';
import { requeueJob } from '../jobs/enqueue-job.js';
import type { Db } from '../db/schema.js';
import type { QueuePolicy } from '../jobs/types.js';

/**
 * links.next_attempt_at is the one schedule for unmatched links: an unmatched attempt ends its
 * job (succeeded, output "pending"), and link-queue queues the job again once the link is due.
 * So a job's own attempts and backoff are spent only on failures (Cablecast errors, write-back),
 * never on "no show yet". A write-back waiting for the captions to reach Cablecast is tried
 * again once they may have. Jobs that died or were cancelled are left for a person.
 */
export async function mediaWithDueLinks(db: Db, options: { writeback: boolean }): Promise<number[]> {
  const idleLinkJob = (mediaId: ReturnType<typeof sql<number>>) =>
    sql<boolean>`not exists (select 1 from jobs j where j.media_id = ${mediaId} and j.kind = 'link' and j.state <> 'succeeded')`;

  const retries = await db
    .selectFrom('links')
    .innerJoin('transcripts', 'transcripts.id', 'links.transcript_id')
    .innerJoin('media', 'media.id', 'transcripts.media_id')
    .select('media.id')
    .where('media.state', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.and([eb('links.state', '=', 'pending'), eb('links.next_attempt_at', '<=', sql<Date>`now()`)]),
        // A show linked before write-back was configured has never had one.
        ...(options.writeback ? [eb.and([eb('links.state', '=', 'linked'), eb('links.writeback', 'is', null)])] : []),
        // One waiting for the captions to reach Cablecast, once they may have: an upload
        // finished or a sidecar was written since (captions-arrival.ts makes sure).
        ...(options.writeback
          ? [
              eb.and([
                eb('links.state', '=', 'linked'),
                sql<boolean>`links.writeback->>'state' = 'waiting'`,
                sql<boolean>`(exists (select 1 from jobs u where u.media_id = media.id and u.kind = 'upload' and u.state = 'succeeded'
                    and u.output->>'finished' = 'true')
                  or exists (select 1 from artifacts a where a.media_id = media.id and a.kind = 'sidecar'))`,
              ]),
            ]
          : []),
      ]),
    )
    .where(idleLinkJob(sql<number>`media.id`))
    .execute();

  // Transcripts captioned before Cablecast was configured never got a link job.
  const neverQueued = await db
    .selectFrom('transcripts')
    .innerJoin('media', 'media.id', 'transcripts.media_id')
    .select('media.id')
    .where('media.state', '=', 'active')
    .where(sql<boolean>`not exists (select 1 from links l where l.transcript_id = transcripts.id)`)
    .where(sql<boolean>`not exists (select 1 from jobs j where j.media_id = media.id and j.kind = 'link')`)
    .where(sql<boolean>`exists (select 1 from jobs j where j.media_id = media.id and j.kind = 'captions' and j.state = 'succeeded')`)
    .execute();

  return [...new Set([...retries, ...neverQueued].map((row) => row.id))].sort((a, b) => a - b);
}

export async function queueDueLinks(db: Db, options: { writeback: boolean }, policy: Pick<QueuePolicy, 'maxAttempts'>): Promise<number[]> {
  const mediaIds = await mediaWithDueLinks(db, options);
  for (const mediaId of mediaIds) await requeueJob(db, { mediaId, kind: 'link' }, policy);
  return mediaIds;
}

/** Media whose link job is queued and runnable now (what a drain would take). */
export async function mediaWithRunnableLinkJobs(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('jobs')
    .select('media_id')
    .where('kind', '=', 'link')
    .where('state', '=', 'queued')
    .where('run_after', '<=', sql<Date>`now()`)
    .orderBy('media_id')
    .execute();
  return rows.map((row) => row.media_id);
}
