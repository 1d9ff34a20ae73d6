import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative } from 'node:path';
import type { CaptionFormat } from '../captions/files.js';
import type { Config } from '../config/schema.js';
import type { Db, Media } from '../db/schema.js';
import { writeOwnedFile, type OwnedWrite } from './artifacts.js';

export interface CaptionTarget {
  format: CaptionFormat;
  path: string;
  sidecar: boolean;
}

type TargetConfig = { sites: Pick<Config['sites'][number], 'key' | 'share'>[]; captions: Pick<Config['captions'], 'formats'> } & {
  paths: Pick<Config['paths'], 'output'>;
};

/**
 * The recording's folder below its share, so two recordings of one name in different folders
 * get different caption files in paths.output.
 */
function outputSubdir(config: TargetConfig, media: Media): string {
  const share = config.sites.find((site) => site.key === media.site)?.share;
  if (media.source !== 'share' || !share) return '';
  const folder = relative(share, dirname(media.path));
  return folder.startsWith('..') || isAbsolute(folder) ? '' : folder;
}

/**
 * Where a recording's caption files go. For a recording on a share: `<basename>.scc` beside
 * the video (what Cablecast plays) plus the configured formats into paths.output. For a file
 * given on the command line: every format into `outDir`, or beside the file.
 */
export function captionTargets(config: TargetConfig, media: Media, outDir: string | undefined): CaptionTarget[] {
  const stem = basename(media.path, extname(media.path));
  const targets: CaptionTarget[] = [];
  if (media.source === 'file') {
    const dir = outDir ?? dirname(media.path);
    for (const format of new Set<CaptionFormat>(['scc', ...config.captions.formats])) {
      targets.push({ format, path: join(dir, `${stem}.${format}`), sidecar: format === 'scc' && dir === dirname(media.path) });
    }
    return targets;
  }
  if (media.source === 'share') targets.push({ format: 'scc', path: join(dirname(media.path), `${stem}.scc`), sidecar: true });
  // A fetched VOD has no share to hold its sidecar: the .scc in paths.output is what upload sends.
  const formats = new Set<CaptionFormat>(media.source === 'share' ? config.captions.formats : ['scc', ...config.captions.formats]);
  const dir = join(config.paths.output, media.site, outputSubdir(config, media));
  for (const format of formats) targets.push({ format, path: join(dir, `${stem}.${format}`), sidecar: false });
  return targets;
}

/** Writes each target Archivist may write (writeOwnedFile): a file someone else made is left alone and reported. */
export async function placeCaptionFiles(
  db: Db,
  media: Media,
  targets: readonly CaptionTarget[],
  content: (format: CaptionFormat) => string,
): Promise<(OwnedWrite & { format: CaptionFormat })[]> {
  const results: (OwnedWrite & { format: CaptionFormat })[] = [];
  for (const target of targets) {
    await mkdir(dirname(target.path), { recursive: true });
    const result = await writeOwnedFile(db, {
      mediaId: media.id,
      kind: target.sidecar ? 'sidecar' : 'caption',
      path: target.path,
      content: content(target.format),
      durationSeconds: media.duration_sec,
    });
    results.push({ ...result, format: target.format });
  }
  return results;
}
