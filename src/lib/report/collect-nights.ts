import type { Db } from '../db/schema.js';
import type { ReportNight } from './model.js';

export const NIGHTS = 30;
const DAY_MS = 86_400_000;

function utcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The last 30 nights (UTC dates, oldest first, ending with `now`'s): hours of recordings
 * captioned, recordings that failed for good, and nightly runs started.
 */
export async function collectNights(db: Db, now: Date, site?: string): Promise<ReportNight[]> {
  const first = new Date(Date.parse(utcDate(now)) - (NIGHTS - 1) * DAY_MS);
  let captionsQuery = db
    .selectFrom('jobs')
    .innerJoin('media', 'media.id', 'jobs.media_id')
    .leftJoin('transcripts', 'transcripts.media_id', 'media.id')
    .select(['jobs.finished_at', 'media.duration_sec'])
    .where('jobs.kind', '=', 'captions')
    .where('jobs.state', '=', 'succeeded')
    .where('jobs.finished_at', '>=', first)
    .where((eb) => eb.or([eb('transcripts.no_speech', '=', false), eb('transcripts.no_speech', 'is', null)]));
  let deadQuery = db
    .selectFrom('jobs')
    .innerJoin('media', 'media.id', 'jobs.media_id')
    .select(['jobs.media_id', 'jobs.finished_at'])
    .where('jobs.state', '=', 'dead')
    .where('jobs.finished_at', '>=', first);
  if (site !== undefined) {
    captionsQuery = captionsQuery.where('media.site', '=', site);
    deadQuery = deadQuery.where('media.site', '=', site);
  }
  const captioned = await captionsQuery.execute();
  const dead = await deadQuery.execute();
  const runs = await db
    .selectFrom('runs')
    .select('started_at')
    .where('command', '=', 'process-recent-vods')
    .where('started_at', '>=', first)
    .execute();

  const nights = new Map<string, ReportNight & { failedMedia: Set<number> }>();
  for (let i = 0; i < NIGHTS; i += 1) {
    const date = utcDate(new Date(first.getTime() + i * DAY_MS));
    nights.set(date, { date, captionedHours: 0, captioned: 0, failed: 0, runs: 0, failedMedia: new Set() });
  }
  for (const row of captioned) {
    const night = row.finished_at ? nights.get(utcDate(row.finished_at)) : undefined;
    if (!night) continue;
    night.captioned += 1;
    night.captionedHours += (row.duration_sec ?? 0) / 3600;
  }
  for (const row of dead) {
    const night = row.finished_at ? nights.get(utcDate(row.finished_at)) : undefined;
    night?.failedMedia.add(row.media_id);
  }
  for (const row of runs) {
    const night = nights.get(utcDate(row.started_at));
    if (night) night.runs += 1;
  }
  return [...nights.values()].map(({ failedMedia, ...night }) => ({
    ...night,
    captionedHours: Math.round(night.captionedHours * 100) / 100,
    failed: failedMedia.size,
  }));
}
