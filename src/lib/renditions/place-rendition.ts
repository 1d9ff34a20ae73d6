import { link, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import { errnoCode, TransientError } from '../errors.js';
import { syncDirectory } from '../fs/atomic.js';
import { pathExists } from '../fs/path-exists.js';
import type { Db } from '../db/schema.js';
import { sha256File } from '../fs/file-sha256.js';

/** A file Archivist did not write (or that was changed since) holds the rendition's name. */
export class RenditionTargetTakenError extends TransientError {
  readonly permanent = true;
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}; not replacing it`);
  }
}

/**
 * Throws unless `target` is free or is a rendition Archivist wrote for this media and nobody
 * changed since. Checked before the work starts (a burn takes hours) and again just before
 * the rename.
 */
export async function assertReplaceable(db: Db, target: string, mediaId: number, signal?: AbortSignal): Promise<boolean> {
  if (!(await pathExists(target))) return false;
  const ours = await db.selectFrom('artifacts').select(['sha256', 'media_id']).where('path', '=', target).executeTakeFirst();
  if (!ours) throw new RenditionTargetTakenError(target, 'a file Archivist did not write is already there');
  // Two recordings with the same base name in different folders of one share map to one name.
  if (ours.media_id !== null && ours.media_id !== mediaId) {
    throw new RenditionTargetTakenError(
      target,
      `it is the rendition of media ${ours.media_id}, another recording with the same name (use --out)`,
    );
  }
  if (ours.sha256 !== (await sha256File(target, signal)))
    throw new RenditionTargetTakenError(target, 'the file was changed by someone since Archivist wrote it');
  return true;
}

/**
 * Gives a checked rendition its final name and records it as Archivist's. A new name is
 * taken with a hard link, so a file that appeared meanwhile is never replaced; our own
 * earlier rendition is replaced by rename. Either way readers never see a partial file.
 */
export async function placeRendition(
  db: Db,
  options: { mediaId: number; temp: string; target: string; sha256: string; signal?: AbortSignal | undefined },
): Promise<void> {
  const { temp, target } = options;
  if (await assertReplaceable(db, target, options.mediaId, options.signal)) {
    await rename(temp, target);
  } else {
    try {
      await link(temp, target);
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') throw new RenditionTargetTakenError(target, 'a file appeared there while Archivist was writing');
      throw error;
    }
    await unlink(temp);
  }
  await syncDirectory(dirname(target));
  await db
    .insertInto('artifacts')
    .values({ media_id: options.mediaId, kind: 'rendition', path: target, sha256: options.sha256 })
    .onConflict((oc) =>
      oc.column('path').doUpdateSet({ sha256: options.sha256, media_id: options.mediaId, kind: 'rendition', created_at: sql`now()` }),
    )
    .execute();
}
