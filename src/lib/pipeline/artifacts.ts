import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { extname } from 'node:path';
import { completeArtifact, discardLeftoverTemp, findArtifact, isOurs, placeRecorded, type ArtifactKind } from '../artifacts/records.js';
import type { Db } from '../db/schema.js';
import { PermanentError, errnoCode } from '../errors.js';
import { TargetExistsError, tempPathFor } from '../fs/atomic.js';
import { sccProblem } from './check-scc.js';

export type { ArtifactKind } from '../artifacts/records.js';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export type OwnedWrite = { written: true; path: string } | { written: false; path: string; reason: string };

/** A caption file that fails our own decoder: placing it would put broken captions on air. */
export class CaptionFileRefusedError extends PermanentError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`refusing to place ${path}: ${reason}`);
  }
}

export interface OwnedFile {
  mediaId: number | null;
  kind: ArtifactKind;
  path: string;
  content: string | Uint8Array;
  /** The recording's length (ffprobe): an SCC file's captions must lie within it. */
  durationSeconds?: number | null | undefined;
}

/**
 * Writes a file that Archivist owns. An existing file is replaced only when we wrote it for
 * the same recording and nobody changed it since (its hash is the one we recorded): a caption
 * file from a vendor, an operator, Cablecast itself, or one made for another recording of the
 * same name is never touched. An SCC file is played back by our decoder before it is written
 * and is not placed at all when it fails (CaptionFileRefusedError: the job ends dead with the
 * decoder's reason). The file is recorded before it appears (placeRecorded), so a run stopped
 * between the two leaves a file the next run knows as its own.
 */
export async function writeOwnedFile(db: Db, options: OwnedFile): Promise<OwnedWrite> {
  const { path, content } = options;
  const current = await readFile(path).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  });
  const digest = sha256(content);
  const ours = await findArtifact(db, path);
  let replacing: string | undefined;
  if (current) {
    if (!ours) return { written: false, path, reason: 'a file Archivist did not write is already there' };
    if (ours.media_id !== null && ours.media_id !== options.mediaId) {
      return { written: false, path, reason: `Archivist wrote this file for another recording (media ${ours.media_id})` };
    }
    const currentHash = sha256(current);
    if (!isOurs(ours, currentHash)) return { written: false, path, reason: 'the file was changed by someone since Archivist wrote it' };
    if (currentHash === digest) {
      if (ours.state === 'pending') {
        await discardLeftoverTemp(path, ours, options.mediaId);
        await completeArtifact(db, path, digest);
      }
      return { written: true, path };
    }
    replacing = currentHash;
  }
  if (extname(path).toLowerCase() === '.scc') {
    const problem = sccProblem(typeof content === 'string' ? content : Buffer.from(content).toString('latin1'), options.durationSeconds);
    if (problem !== undefined) throw new CaptionFileRefusedError(path, problem);
  }
  await discardLeftoverTemp(path, ours, options.mediaId);
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await placeRecorded(db, { mediaId: options.mediaId, kind: options.kind, temp, target: path, sha256: digest, replacing });
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (error instanceof TargetExistsError) return { written: false, path, reason: 'a file appeared there while Archivist was writing' };
    throw error;
  }
  return { written: true, path };
}
