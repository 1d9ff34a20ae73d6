import { sql } from 'kysely';
import type { Config } from '../config/schema.js';
import type { Db } from '../db/schema.js';
import { collectNights } from './collect-nights.js';
import { collectRecordings } from './collect-recordings.js';
import { collectSkipped } from './collect-skipped.js';
import { byAttention, isFailure, reportSchema, type Report } from './model.js';

export interface ReportQuery {
  since: Date;
  site?: string | undefined;
  now?: Date;
}

/** Recordings (any age) with a step still queued or running. */
async function countLeft(db: Db, site?: string): Promise<number> {
  let query = db
    .selectFrom('jobs')
    .innerJoin('media', 'media.id', 'jobs.media_id')
    .select(sql<number>`count(distinct jobs.media_id)::int`.as('n'))
    .where('jobs.state', 'in', ['queued', 'running'])
    .where('media.state', '=', 'active');
  if (site !== undefined) query = query.where('media.site', '=', site);
  return (await query.executeTakeFirstOrThrow()).n;
}

/** The morning report: per recording, per night, and what is left, checked against its schema. */
export async function collectReport(db: Db, config: Pick<Config, 'sites'>, query: ReportQuery): Promise<Report> {
  const now = query.now ?? new Date();
  const recordings = (await collectRecordings(db, config, { since: query.since, site: query.site, now })).sort(byAttention);
  const captioned = recordings.filter((r) => r.outcome === 'captioned');
  return reportSchema.parse({
    generatedAt: now.toISOString(),
    since: query.since.toISOString(),
    site: query.site ?? null,
    summary: {
      recordings: recordings.length,
      captioned: captioned.length,
      hoursCaptioned: Math.round(captioned.reduce((sum, r) => sum + (r.durationSec ?? 0), 0) / 36) / 100,
      failed: recordings.filter((r) => isFailure(r.outcome)).length,
      needsReview: recordings.filter((r) => r.outcome === 'needs-review').length,
      noSpeech: recordings.filter((r) => r.outcome === 'no-speech').length,
      left: await countLeft(db, query.site),
    },
    recordings,
    skipped: await collectSkipped(db, query.since, query.site),
    nights: await collectNights(db, now, query.site),
  });
}
