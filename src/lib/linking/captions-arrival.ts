import { basename, dirname, isAbsolute, relative } from 'node:path';
import { z } from 'zod';
import type { Site } from '../config/schema.js';
import type { Db } from '../db/schema.js';
import { pathExists } from '../fs/path-exists.js';
import { parseUploadState } from '../upload/upload-state.js';

/**
 * Whether Archivist's captions for a recording have reached Cablecast, which is what the
 * write-back claims. They have when Archivist wrote the sidecar beside the video on its
 * content share (Cablecast plays it and makes the VOD's captions from it), or when an upload
 * of them finished (the upload job's saved state says so). A caption file in paths.output on
 * this host is not in Cablecast.
 */
export type CaptionsArrival =
  | {
      reached: true;
      via: 'sidecar' | 'upload';
      /** The caption file's base name as Cablecast has it: never a path on this host. */
      file: string;
      /** YYYY-MM-DD they arrived: the sidecar written, the upload finished. */
      date: string;
    }
  /** `skipped`: there is nothing to send (no captions were made); `waiting`: not there yet, and why. */
  | { reached: false; state: 'skipped' | 'waiting'; reason: string };

export interface ArrivalSettings {
  sites: readonly Pick<Site, 'share'>[];
  /** pipeline.upload */
  uploadEnabled: boolean;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export async function captionsArrival(db: Db, mediaId: number, settings: ArrivalSettings): Promise<CaptionsArrival> {
  const media = await db.selectFrom('media').select(['id', 'path', 'source']).where('id', '=', mediaId).executeTakeFirstOrThrow();
  const upload = await db
    .selectFrom('jobs')
    .select(['id', 'state', 'output', 'last_error', 'finished_at', 'updated_at'])
    .where('media_id', '=', media.id)
    .where('kind', '=', 'upload')
    .executeTakeFirst();
  const uploaded = upload?.state === 'succeeded' ? parseUploadState(upload.output) : undefined;
  if (upload !== undefined && uploaded?.finished === true) {
    return { reached: true, via: 'upload', file: uploaded.fileName, date: day(upload.finished_at ?? upload.updated_at) };
  }

  const artifacts = await db
    .selectFrom('artifacts')
    .select(['kind', 'path', 'created_at'])
    .where('media_id', '=', media.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const onShare = media.source === 'share' || settings.sites.some((site) => isInside(site.share, media.path));
  const sidecar = onShare ? artifacts.find((a) => a.kind === 'sidecar' && dirname(a.path) === dirname(media.path)) : undefined;
  if (sidecar !== undefined && (await pathExists(sidecar.path))) {
    return { reached: true, via: 'sidecar', file: basename(sidecar.path), date: day(sidecar.created_at) };
  }
  if (artifacts.length === 0) return { reached: false, state: 'skipped', reason: 'Archivist wrote no caption file for this recording' };

  const share =
    sidecar !== undefined
      ? `the sidecar ${sidecar.path} is not there (is the share mounted on this host?)`
      : onShare
        ? 'Archivist wrote no sidecar beside the video on its share'
        : 'no sidecar on a share';
  return {
    reached: false,
    state: 'waiting',
    reason: `the captions have not reached Cablecast: ${share} and ${uploadNews(upload, settings)}`,
  };
}

function uploadNews(
  upload: { id: number; state: string; output: unknown; last_error: string | null } | undefined,
  settings: ArrivalSettings,
): string {
  if (upload === undefined) return settings.uploadEnabled ? 'no upload has run yet' : 'pipeline.upload is off';
  if (upload.state === 'succeeded') {
    const skipped = skippedUpload(upload.output);
    return skipped === null ? `upload job ${upload.id} did not finish an upload` : `the upload was skipped (${skipped})`;
  }
  const error = upload.last_error === null ? '' : `: ${upload.last_error}`;
  return upload.state === 'queued' || upload.state === 'running'
    ? `upload job ${upload.id} has not finished${error === '' ? '' : ` (last try${error})`}`
    : `upload job ${upload.id} is ${upload.state}${error}`;
}

/** What the upload step saves when it decides not to upload (upload-step.ts). */
const skippedUploadSchema = z.object({ skipped: z.string() });

function skippedUpload(output: unknown): string | null {
  const parsed = skippedUploadSchema.safeParse(output);
  return parsed.success ? parsed.data.skipped : null;
}
