import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { ArtifactsTable } from '../db/schema.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { Db } from '../db/schema.js';
import { errnoCode } from '../errors.js';

export type ArtifactKind = ArtifactsTable['kind'];

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export type OwnedWrite = { written: true; path: string } | { written: false; path: string; reason: string };

/**
 * Writes a file that Archivist owns, atomically. An existing file is replaced only when we
 * wrote it for the same recording and nobody changed it since (its hash is still the one we
 * recorded): a caption file from a vendor, an operator, Cablecast itself, or one made for
 * another recording of the same name is never touched.
 */
export async function writeOwnedFile(
  db: Db,
  options: { mediaId: number | null; kind: ArtifactKind; path: string; content: string | Uint8Array },
): Promise<OwnedWrite> {
  const current = await readFile(options.path).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  });
  const digest = sha256(options.content);
  if (current) {
    const ours = await db.selectFrom('artifacts').select(['sha256', 'media_id']).where('path', '=', options.path).executeTakeFirst();
    if (!ours) return { written: false, path: options.path, reason: 'a file Archivist did not write is already there' };
    if (ours.media_id !== null && ours.media_id !== options.mediaId) {
      return { written: false, path: options.path, reason: `Archivist wrote this file for another recording (media ${ours.media_id})` };
    }
    if (ours.sha256 !== sha256(current))
      return { written: false, path: options.path, reason: 'the file was changed by someone since Archivist wrote it' };
    if (ours.sha256 === digest) return { written: true, path: options.path };
  }
  try {
    await writeFileAtomic(options.path, options.content, { exclusive: current === null });
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') {
      return { written: false, path: options.path, reason: 'a file appeared there while Archivist was writing' };
    }
    throw error;
  }
  await db
    .insertInto('artifacts')
    .values({ media_id: options.mediaId, kind: options.kind, path: options.path, sha256: digest })
    .onConflict((oc) =>
      oc.column('path').doUpdateSet({ sha256: digest, media_id: options.mediaId, kind: options.kind, created_at: sql`now()` }),
    )
    .execute();
  return { written: true, path: options.path };
}
