import { lstat } from 'node:fs/promises';
import { sha256File } from '../fs/file-sha256.js';
import type { Db } from '../db/schema.js';
import { errnoCode } from '../errors.js';
import type { CleanupChange } from './changes.js';

type ArtifactChange = Extract<CleanupChange, { action: 'delete-output' | 'forget-artifact' }>;

/**
 * Files Archivist recorded writing. A caption file, sidecar or rendition is deleted only when
 * its recording's media row is gone and the file is still exactly what we wrote; a recording
 * marked missing keeps its outputs (it may come back). Records of files no longer on disk are
 * dropped.
 */
export async function findArtifactChanges(db: Db): Promise<ArtifactChange[]> {
  const rows = await db
    .selectFrom('artifacts')
    .leftJoin('media', 'media.id', 'artifacts.media_id')
    .select(['artifacts.id', 'artifacts.kind', 'artifacts.path', 'artifacts.sha256', 'media.id as media_row'])
    .where('media.id', 'is', null)
    // A transcript file was filed by a person (archivist transcript --out): it outlives the recording's row.
    .where('artifacts.kind', '!=', 'transcript')
    .orderBy('artifacts.path')
    .execute();
  const changes: ArtifactChange[] = [];
  for (const row of rows) {
    const info = await lstat(row.path).catch((error: unknown) => {
      if (errnoCode(error) === 'ENOENT') return null;
      throw error;
    });
    if (info === null) {
      changes.push({ action: 'forget-artifact', artifactId: row.id, path: row.path, kind: row.kind });
      continue;
    }
    if (!info.isFile()) continue;
    // Without a recorded hash nothing proves a caption file or rendition is still ours.
    if (row.sha256 === null || (await sha256File(row.path)) !== row.sha256) continue;
    changes.push({ action: 'delete-output', artifactId: row.id, path: row.path, kind: row.kind });
  }
  return changes;
}
