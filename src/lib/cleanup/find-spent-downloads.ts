import { lstat } from 'node:fs/promises';
import { sep } from 'node:path';
import type { Db } from '../db/schema.js';
import type { CleanupChange } from './changes.js';
import { errnoCode } from '../errors.js';
import { VIDEO_READERS } from '../stages.js';

type ScratchChange = Extract<CleanupChange, { action: 'delete-scratch' }>;

/**
 * VODs fetched from Cablecast into paths.work are ours, and needed only by the steps that read
 * the video (`readsVideo` in the pipeline table). Once none of those is waiting, a download
 * older than the scratch age goes: the media row, its transcript and captions stay.
 * (`archivist jobs retry` on its fetch job downloads it again, should a rendition be wanted
 * later.)
 */
export async function findSpentDownloads(db: Db, workDir: string, before: Date): Promise<ScratchChange[]> {
  const rows = await db
    .selectFrom('media')
    .select(['id', 'path'])
    .where('source', '=', 'cablecast')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('jobs')
            .select('jobs.id')
            .whereRef('jobs.media_id', '=', 'media.id')
            .where('jobs.state', 'in', ['queued', 'running'])
            .where('jobs.kind', 'in', [...VIDEO_READERS]),
        ),
      ),
    )
    .orderBy('id')
    .execute();
  const changes: ScratchChange[] = [];
  for (const row of rows) {
    if (!row.path.startsWith(workDir + sep)) continue;
    const info = await lstat(row.path).catch((error: unknown) => {
      if (errnoCode(error) === 'ENOENT') return null;
      throw error;
    });
    if (!info?.isFile() || info.mtime >= before) continue;
    changes.push({ action: 'delete-scratch', path: row.path, what: 'downloaded VOD', modified: info.mtime.toISOString() });
  }
  return changes;
}
