import type { Db, Media } from '../db/schema.js';
import { PermanentError } from '../errors.js';

/** The job's media, present on disk as far as the database knows. */
export async function activeMedia(db: Db, mediaId: number): Promise<Media> {
  const media = await db.selectFrom('media').selectAll().where('id', '=', mediaId).executeTakeFirst();
  if (!media) throw new PermanentError(`media ${mediaId} no longer exists`);
  if (media.state === 'missing') throw new PermanentError(`${media.path} is missing (marked by cleanup-orphaned)`);
  return media;
}
