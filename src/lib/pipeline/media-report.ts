import type { Db } from '../db/schema.js';
import type { JobKind, JobState } from '../db/schema.js';

export interface MediaReport {
  mediaId: number;
  path: string;
  steps: { jobId: number; kind: JobKind; state: JobState; error: string | null; output: unknown }[];
}

/** Where each given media item stands: one line per step, for the command's summary. */
export async function mediaReport(db: Db, mediaIds: readonly number[]): Promise<MediaReport[]> {
  if (mediaIds.length === 0) return [];
  const rows = await db
    .selectFrom('jobs')
    .innerJoin('media', 'media.id', 'jobs.media_id')
    .select(['media.id as mediaId', 'media.path', 'jobs.id as jobId', 'jobs.kind', 'jobs.state', 'jobs.last_error', 'jobs.output'])
    .where('media.id', 'in', [...mediaIds])
    .orderBy('media.id')
    .orderBy('jobs.id')
    .execute();
  return mediaIds.map((id) => {
    const mine = rows.filter((r) => r.mediaId === id);
    return {
      mediaId: id,
      path: mine[0]?.path ?? '',
      steps: mine.map((r) => ({ jobId: r.jobId, kind: r.kind, state: r.state, error: r.last_error, output: r.output })),
    };
  });
}

/** A step that ended badly, or is waiting to retry after a failure. */
export function hasFailure(report: MediaReport): boolean {
  return report.steps.some((s) => s.state === 'dead' || (s.state === 'queued' && s.error !== null));
}

export interface StepResult {
  mediaId: number;
  path: string;
  state: JobState;
  error: string | null;
  output: unknown;
}

/** Where one step stands for each given media item that has it, in the order given. */
export async function stepResults(db: Db, kind: JobKind, mediaIds: readonly number[]): Promise<StepResult[]> {
  return (await mediaReport(db, mediaIds)).flatMap((report) => {
    const step = report.steps.find((s) => s.kind === kind);
    return step ? [{ mediaId: report.mediaId, path: report.path, state: step.state, error: step.error, output: step.output }] : [];
  });
}
