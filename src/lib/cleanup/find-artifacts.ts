import { lstat } from 'node:fs/promises';
import { sha256File } from '../fs/file-sha256.js';
import type { Db } from '../jobs/types.js';
import type { CleanupChange } from './changes.js';

type ArtifactChange = Extract<CleanupChange, { action: 'delete-output' | 'forget-artifact' | 'delete-scratch' }>;

/**
 * Files Archivist recorded writing. A caption file, sidecar or rendition is deleted only when
 * its recording's media row is gone and the file is still exactly what we wrote; a recording
 * marked missing keeps its outputs (it may come back). Scratch artifacts go after `before`.
 * Records of files no longer on disk are dropped.
 */
export async function findArtifactChanges(db: Db, before: Date): Promise<ArtifactChange[]> {
  const rows = await db
    .selectFrom('artifacts')
    .leftJoin('media', 'media.id', 'artifacts.media_id')
    .select(['artifacts.id', 'artifacts.kind', 'artifacts.path', 'artifacts.sha256', 'media.id as media_row'])
    .orderBy('artifacts.path')
    .execute();
  const changes: ArtifactChange[] = [];
  for (const row of rows) {
    const scratch = row.kind === 'scratch';
    if (!scratch && row.media_row !== null) continue;
    const info = await lstat(row.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (info === null) {
      changes.push({ action: 'forget-artifact', artifactId: row.id, path: row.path, kind: row.kind });
      continue;
    }
    if (!info.isFile()) continue;
    if (scratch && info.mtime >= before) continue;
    // Without a recorded hash nothing proves a caption file or rendition is still ours.
    if (row.sha256 === null ? !scratch : (await sha256File(row.path)) !== row.sha256) continue;
    changes.push(
      scratch
        ? { action: 'delete-scratch', path: row.path, what: 'scratch file', modified: info.mtime.toISOString() }
        : { action: 'delete-output', artifactId: row.id, path: row.path, kind: row.kind },
    );
  }
  return changes;
}
