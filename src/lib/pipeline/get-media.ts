import type { Media } from '../db/schema.js';
import { PermanentJobError } from '../jobs/drain.js';
import type { Db } from '../jobs/types.js';

/** The job's media, present on disk as far as the database knows. */
export async function activeMedia(db: Db, mediaId: number): Promise<Media> {
  const media = await db.selectFrom('media').selectAll().where('id', '=', mediaId).executeTakeFirst();
  if (!media) throw new PermanentJobError(`media ${mediaId} no longer exists`);
  if (media.state === 'missing') throw new PermanentJobError(`${media.path} is missing (marked by cleanup-orphaned)`);
  return media;
}
