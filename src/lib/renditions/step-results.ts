import type { JobKind, JobState } from '../db/schema.js';
import type { Db } from '../jobs/types.js';

export interface StepResult {
  mediaId: number;
  path: string;
  state: JobState;
  error: string | null;
  output: unknown;
}

/** Where one step stands for each given media item, in the order given. */
export async function stepResults(db: Db, kind: JobKind, mediaIds: readonly number[]): Promise<StepResult[]> {
  if (mediaIds.length === 0) return [];
  const rows = await db
    .selectFrom('jobs')
    .innerJoin('media', 'media.id', 'jobs.media_id')
    .select(['media.id as mediaId', 'media.path', 'jobs.state', 'jobs.last_error', 'jobs.output'])
    .where('jobs.kind', '=', kind)
    .where('media.id', 'in', [...mediaIds])
    .execute();
  return mediaIds.flatMap((id) => {
    const row = rows.find((r) => r.mediaId === id);
    return row ? [{ mediaId: id, path: row.path, state: row.state, error: row.last_error, output: row.output }] : [];
  });
}
