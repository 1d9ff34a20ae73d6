import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import { requeueJob } from '../jobs/enqueue-job.js';
import type { Db } from '../db/schema.js';
import type { QueuePolicy } from '../jobs/types.js';
import { parseRecordingName } from '../sources/flex-name.js';
import { checkGivenFile } from './check-file.js';
import { firstKind } from '../stages.js';
import { registerMedia } from './register-media.js';

/** Media given by path on the command line belong to this pseudo-site. */
export const FILES_SITE = 'files';

/**
 * Registers files named on the command line (or finds the recording a path already is) and
 * queues their probe again, so the chain runs for them now (the transcribe step still reuses
 * an unchanged file's transcript unless forced).
 * Every path is checked before anything is written: one bad path changes nothing.
 */
export async function registerFiles(
  db: Db,
  paths: readonly string[],
  cwd: string,
  policy: Pick<QueuePolicy, 'maxAttempts'>,
): Promise<{ id: number; path: string }[]> {
  const files: { path: string; size: number; mtime: Date }[] = [];
  const problems: string[] = [];
  for (const given of paths) {
    const file = await checkGivenFile(given, cwd);
    if ('problem' in file) problems.push(file.problem);
    else files.push(file);
  }
  if (problems.length > 0) throw new UsageError(`cannot use ${problems.length === 1 ? 'this file' : 'these files'}`, problems);

  const media: { id: number; path: string }[] = [];
  for (const file of files) {
    // A recording Archivist already knows (from a share, or a fetched VOD) is that recording:
    // `transcribe --force` on it redoes its own chain, with its sidecar and link, not a copy's.
    const known = await db
      .selectFrom('media')
      .select(['id', 'path'])
      .where('path', '=', file.path)
      .where('site', '!=', FILES_SITE)
      .where('state', '=', 'active')
      .orderBy('id')
      .executeTakeFirst();
    const row =
      known ??
      (await registerMedia(db, { site: FILES_SITE, source: 'file', ...file, ...parseRecordingName(basename(file.path)) }, policy)).media;
    // The file is on disk (checked above): the chain starts at its probe, whatever its source.
    await requeueJob(db, { mediaId: row.id, kind: firstKind('file') }, policy);
    media.push({ id: row.id, path: row.path });
  }
  return media;
}
