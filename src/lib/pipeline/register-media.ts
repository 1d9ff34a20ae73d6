import { sql } from 'kysely';
import type { Db, Media, MediaSource } from '../db/schema.js';
import { enqueueJob, requeueJob } from '../jobs/enqueue-job.js';
import type { QueuePolicy } from '../jobs/types.js';
import type { RecordingName } from '../sources/flex-name.js';
import { firstKind } from '../stages.js';

export interface NewRecording extends RecordingName {
  site: string;
  path: string;
  source: MediaSource;
  /** Unknown for a VOD not yet fetched. */
  size: number | null;
  mtime: Date | null;
  cablecastShowId?: number;
  vodUrl?: string;
}

/**
 * Records a recording as media (one row per site and path) and queues the first step of its
 * chain. A file seen again unchanged is left as it is, so nightly discovery never duplicates
 * work; one whose size or time changed is refreshed and its chain starts again. A Cablecast VOD
 * is known by its download path and is fetched once. Any number of runs may register the same
 * recordings at once: each file gets one row and one chain.
 */
export async function registerMedia(
  db: Db,
  recording: NewRecording,
  policy: Pick<QueuePolicy, 'maxAttempts'>,
): Promise<{ media: Media; created: boolean; changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const facts = {
      size: recording.size,
      mtime: recording.mtime,
      title: recording.title,
      event_date: recording.date ?? null,
      file_show_id: recording.showId ?? null,
      cablecast_show_id: recording.cablecastShowId ?? null,
      vod_url: recording.vodUrl ?? null,
    };
    // Another run (another host) may register the same file at the same moment: the insert
    // waits for its transaction and then does nothing, and this run takes the row it made.
    const inserted = await trx
      .insertInto('media')
      .values({ site: recording.site, path: recording.path, source: recording.source, ...facts })
      .onConflict((oc) => oc.columns(['site', 'path']).doNothing())
      .returningAll()
      .executeTakeFirst();
    const first = firstKind(recording.source);
    if (inserted) {
      await enqueueJob(trx, { mediaId: inserted.id, kind: first }, policy);
      return { media: inserted, created: true, changed: false };
    }
    const existing = await trx
      .selectFrom('media')
      .selectAll()
      .where('site', '=', recording.site)
      .where('path', '=', recording.path)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const changed =
      recording.source !== 'cablecast' &&
      (existing.size !== recording.size || existing.mtime?.getTime() !== recording.mtime?.getTime() || existing.state === 'missing');
    if (!changed) return { media: existing, created: false, changed: false };
    const media = await trx
      .updateTable('media')
      .set({ ...facts, state: 'active', updated_at: sql`now()` })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await requeueJob(trx, { mediaId: media.id, kind: first }, policy);
    return { media, created: false, changed: true };
  });
}
