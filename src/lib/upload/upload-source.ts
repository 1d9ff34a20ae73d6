import { basename, dirname, extname, join } from 'node:path';
import type { Media } from '../db/schema.js';
import { pathExists } from '../fs/path-exists.js';
import { PermanentError } from '../errors.js';
import type { Db } from '../db/schema.js';
import { sha256File } from '../fs/file-sha256.js';
import type { UploadSource } from './chunked-upload.js';
import type { UploadWhat } from './upload-state.js';

export type SourceChoice = { upload: UploadSource } | { skip: string };

/**
 * The file to upload for a media item, always one Archivist wrote and nobody changed since.
 * The sidecar goes up under the video's exact base name (`Meeting.mp4` -> `Meeting.scc`),
 * which is how Cablecast pairs them. A sidecar beside the video that someone else made
 * (a captioning vendor, Cablecast itself) means this recording is captioned already: ours
 * is not uploaded over it.
 */
export async function chooseUploadSource(db: Db, media: Media, what: UploadWhat): Promise<SourceChoice> {
  const artifacts = await db
    .selectFrom('artifacts')
    .select(['path', 'kind', 'sha256'])
    .where('media_id', '=', media.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const stem = basename(media.path, extname(media.path));

  if (what === 'rendition') {
    const rendition = artifacts.find((a) => a.kind === 'rendition');
    if (!rendition || !(await pathExists(rendition.path))) {
      throw new PermanentError(`media ${media.id} has no captioned rendition; run retranscode first`);
    }
    return {
      upload: {
        what,
        path: rendition.path,
        fileName: basename(rendition.path),
        expectedSha256: rendition.sha256 ?? undefined,
      },
    };
  }

  const sccs = artifacts
    .filter((a) => (a.kind === 'sidecar' || a.kind === 'caption') && a.path.toLowerCase().endsWith('.scc'))
    .sort((a, b) => Number(b.kind === 'sidecar') - Number(a.kind === 'sidecar'));
  const besideVideo = join(dirname(media.path), `${stem}.scc`);
  // Any source: a file transcribed with --out elsewhere can still have a vendor's sidecar beside it.
  if (await pathExists(besideVideo)) {
    const ourHash = sccs.find((a) => a.path === besideVideo)?.sha256;
    if (ourHash === undefined || ourHash !== (await sha256File(besideVideo))) {
      return { skip: `${besideVideo} was made by someone else (or changed since Archivist wrote it); not uploading over it` };
    }
  }
  for (const scc of sccs) {
    if (await pathExists(scc.path)) {
      return { upload: { what, path: scc.path, fileName: `${stem}.scc`, expectedSha256: scc.sha256 ?? undefined } };
    }
  }
  throw new PermanentError(`media ${media.id} has no SCC written by Archivist; run captions first (a recording without speech gets none)`);
}
