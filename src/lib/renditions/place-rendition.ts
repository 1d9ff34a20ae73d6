import { findArtifact, isOurs, placeRecorded } from '../artifacts/records.js';
import type { Db } from '../db/schema.js';
import { PermanentError } from '../errors.js';
import { TargetExistsError } from '../fs/atomic.js';
import { sha256File } from '../fs/file-sha256.js';
import { pathExists } from '../fs/path-exists.js';

/** A file Archivist did not write (or that was changed since) holds the rendition's name. */
export class RenditionTargetTakenError extends PermanentError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}; not replacing it`);
  }
}

/**
 * Throws unless `target` is free or is a rendition Archivist wrote for this media and nobody
 * changed since (a pending record, left by a run stopped mid-placement, counts). Returns the
 * hash of our file there, if any. Checked before the work starts (a burn takes hours) and
 * again just before the rename.
 */
export async function assertReplaceable(db: Db, target: string, mediaId: number, signal?: AbortSignal): Promise<string | undefined> {
  if (!(await pathExists(target))) return undefined;
  const ours = await findArtifact(db, target);
  if (!ours) throw new RenditionTargetTakenError(target, 'a file Archivist did not write is already there');
  // Two recordings with the same base name in different folders of one share map to one name.
  if (ours.media_id !== null && ours.media_id !== mediaId) {
    throw new RenditionTargetTakenError(
      target,
      `it is the rendition of media ${ours.media_id}, another recording with the same name (use --out)`,
    );
  }
  const hash = await sha256File(target, signal);
  if (!isOurs(ours, hash)) throw new RenditionTargetTakenError(target, 'the file was changed by someone since Archivist wrote it');
  return hash;
}

/**
 * Gives a checked rendition its final name, recorded as Archivist's before it appears. A new
 * name is taken with a hard link, so a file that appeared meanwhile is never replaced; our own
 * earlier rendition is replaced by rename. Either way readers never see a partial file.
 */
export async function placeRendition(
  db: Db,
  options: { mediaId: number; temp: string; target: string; sha256: string; signal?: AbortSignal | undefined },
): Promise<void> {
  const { temp, target } = options;
  try {
    const replacing = await assertReplaceable(db, target, options.mediaId, options.signal);
    await placeRecorded(db, { mediaId: options.mediaId, kind: 'rendition', temp, target, sha256: options.sha256, replacing });
  } catch (error) {
    if (error instanceof TargetExistsError)
      throw new RenditionTargetTakenError(target, 'a file appeared there while Archivist was writing');
    throw error;
  }
}
