import { UsageError } from '../errors.js';
import type { Db } from '../db/schema.js';
import { checkGivenFile } from './check-file.js';

/**
 * Media named on the command line by id or by file, each of which must already have a
 * transcript (its captions come from it). Everything is checked before anything is queued,
 * and every problem is listed at once. Files are looked up, not registered: registering
 * queues the whole chain again, and a rendition or upload must not wait on it.
 */
export async function captionedMediaIds(db: Db, items: readonly string[], command: string, cwd: string): Promise<number[]> {
  const problems: string[] = [];
  const ids: number[] = [];
  for (const item of items) {
    let media: { id: number; path: string } | undefined;
    if (/^\d+$/.test(item)) {
      media = await db.selectFrom('media').select(['id', 'path']).where('id', '=', Number(item)).executeTakeFirst();
      if (!media) {
        problems.push(`${item}: no media with this id (see archivist status)`);
        continue;
      }
    } else {
      const file = await checkGivenFile(item, cwd);
      if ('problem' in file) {
        problems.push(file.problem);
        continue;
      }
      media = await db.selectFrom('media').select(['id', 'path']).where('path', '=', file.path).orderBy('id').executeTakeFirst();
      if (!media) {
        problems.push(`${item}: not transcribed yet; run \`archivist transcribe ${JSON.stringify(item)}\` first`);
        continue;
      }
    }
    const transcript = await db.selectFrom('transcripts').select('id').where('media_id', '=', media.id).executeTakeFirst();
    if (!transcript) problems.push(`${item}: ${media.path} has no transcript yet; run \`archivist transcribe\` on it first`);
    else if (!ids.includes(media.id)) ids.push(media.id);
  }
  if (problems.length > 0) throw new UsageError(`cannot ${command} ${problems.length === 1 ? 'this item' : 'these items'}`, problems);
  return ids;
}
