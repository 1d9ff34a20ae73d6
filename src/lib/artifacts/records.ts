import { unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { sql } from 'kysely';
import type { ArtifactsTable, Db } from '../db/schema.js';
import { errnoCode } from '../errors.js';
import { renameIntoPlace } from '../fs/atomic.js';

export type ArtifactKind = ArtifactsTable['kind'];

export interface ArtifactRecord {
  media_id: number | null;
  kind: ArtifactKind;
  sha256: string | null;
  state: 'pending' | 'complete';
  temp_path: string | null;
  previous_sha256: string | null;
}

/** What Archivist recorded about the file at `path`, if anything. */
export function findArtifact(db: Db, path: string): Promise<ArtifactRecord | undefined> {
  return db
    .selectFrom('artifacts')
    .select(['media_id', 'kind', 'sha256', 'state', 'temp_path', 'previous_sha256'])
    .where('path', '=', path)
    .executeTakeFirst();
}

/**
 * Whether a file with this hash is one Archivist wrote: the one recorded, or, while a
 * placement is pending (a run stopped between the rename and its record), the file being
 * placed or the one it was replacing.
 */
export function isOurs(record: ArtifactRecord, hash: string): boolean {
  return hash === record.sha256 || (record.state === 'pending' && hash === record.previous_sha256);
}

/** A stopped run's temp file, recorded on its pending row for this same recording: ours, so it goes. */
export async function discardLeftoverTemp(path: string, record: ArtifactRecord | undefined, mediaId: number | null): Promise<void> {
  const temp = record?.state === 'pending' && record.media_id === mediaId ? record.temp_path : null;
  if (temp === null || dirname(temp) !== dirname(path) || !basename(temp).startsWith('.archivist-')) return;
  await unlink(temp).catch((error: unknown) => {
    if (errnoCode(error) !== 'ENOENT') throw error;
  });
}

export interface PlaceOptions {
  mediaId: number | null;
  kind: ArtifactKind;
  /** The finished, synced temp file beside `target`. */
  temp: string;
  target: string;
  sha256: string;
  /** The file at `target` is ours (checked by the caller): its hash, kept as ours until the rename. */
  replacing?: string | undefined;
}

/**
 * Gives a finished temp file its final name, recorded before it appears: the row is written
 * `pending` (temp name, final name, new hash, and the hash of our file it replaces), then the
 * rename, then the row is completed. A run stopped in between leaves a file whose hash a
 * pending row names, which the next run takes as its own. A rename refused (a file appeared
 * meanwhile) puts the row back as it was.
 */
export async function placeRecorded(db: Db, options: PlaceOptions): Promise<void> {
  const { target, sha256 } = options;
  const before = await findArtifact(db, target);
  await db
    .insertInto('artifacts')
    .values({
      media_id: options.mediaId,
      kind: options.kind,
      path: target,
      sha256,
      state: 'pending',
      temp_path: options.temp,
      previous_sha256: options.replacing ?? null,
    })
    .onConflict((oc) =>
      oc.column('path').doUpdateSet({
        media_id: options.mediaId,
        kind: options.kind,
        sha256,
        state: 'pending',
        temp_path: options.temp,
        previous_sha256: options.replacing ?? null,
        created_at: sql`now()`,
      }),
    )
    .execute();
  try {
    await renameIntoPlace(options.temp, target, { replaceOurs: options.replacing !== undefined });
  } catch (error) {
    if (before === undefined) await db.deleteFrom('artifacts').where('path', '=', target).execute();
    else await db.updateTable('artifacts').set(before).where('path', '=', target).execute();
    throw error;
  }
  await db
    .updateTable('artifacts')
    .set({ state: 'complete', temp_path: null, previous_sha256: null })
    .where('path', '=', target)
    .where('sha256', '=', sha256)
    .execute();
}

/** A pending row whose file turned out to be in place (the run that placed it was stopped): completed. */
export async function completeArtifact(db: Db, path: string, sha256: string): Promise<void> {
  await db
    .updateTable('artifacts')
    .set({ state: 'complete', sha256, temp_path: null, previous_sha256: null })
    .where('path', '=', path)
    .execute();
}
