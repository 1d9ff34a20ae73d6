import { sql, type Kysely } from 'kysely';
import { JOB_STATES, LINK_STATES, type Database, type JobState, type LinkState } from '../db/schema.js';
import { basename } from 'node:path';
import { storedQuality } from '../pipeline/transcripts.js';
import { lastRuns } from '../runs/last-runs.js';
import { JOB_KINDS } from '../stages.js';
import type { StatusReport } from './status-model.js';

export type { StatusReport } from './status-model.js';

function emptyStates(): Record<JobState, number> {
  return Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
}

/** How many no-speech recordings and captioned recordings status lists. */
const CAPTIONS_LISTED = 5;

/**
 * How many of the recordings captioned in the last 24 hours status lists, newest first: a
 * night's work at a busy station. A night that catches up on a backlog captions hundreds,
 * each a row of several lines; status says how many it left out, and `report` lists them all.
 */
export const LAST_DAY_LISTED = 20;

export async function collectStatus(
  db: Kysely<Database>,
  database: { kind: string; location: string },
  failureLimit = 10,
  now: Date = new Date(),
): Promise<StatusReport> {
  const counts = await db
    .selectFrom('jobs')
    .select(['kind', 'state', sql<number>`count(*)::int`.as('n')])
    .groupBy(['kind', 'state'])
    .execute();
  const jobs: StatusReport['jobs'] = {};
  for (const kind of JOB_KINDS) jobs[kind] = emptyStates();
  for (const row of counts) (jobs[row.kind] ??= emptyStates())[row.state] = row.n;

  const running = await db
    .selectFrom('jobs')
    .innerJoin('media', 'media.id', 'jobs.media_id')
    .select([
      'jobs.id',
      'jobs.kind',
      'jobs.media_id',
      'media.path',
      'jobs.locked_by',
      'jobs.locked_at',
      'jobs.heartbeat_at',
      'jobs.attempts',
    ])
    .where('jobs.state', '=', 'running')
    .orderBy('jobs.locked_at')
    .execute();

  const failures = await db
    .selectFrom('jobs')
    .innerJoin('media', 'media.id', 'jobs.media_id')
    .select([
      'jobs.id',
      'jobs.kind',
      'jobs.state',
      'jobs.media_id',
      'media.path',
      'jobs.attempts',
      'jobs.max_attempts',
      'jobs.last_error',
      'jobs.updated_at',
      'jobs.run_after',
    ])
    .where('jobs.last_error', 'is not', null)
    .where('jobs.state', 'in', ['queued', 'dead'])
    .orderBy('jobs.updated_at', 'desc')
    .limit(failureLimit)
    .execute();

  const latest = await lastRuns(db);

  const linkCounts = await db
    .selectFrom('links')
    .select(['state', sql<number>`count(*)::int`.as('n')])
    .groupBy('state')
    .execute();
  const links = Object.fromEntries(LINK_STATES.map((s) => [s, 0])) as Record<LinkState, number>;
  for (const row of linkCounts) links[row.state] = row.n;

  const media = await db
    .selectFrom('media')
    .select([sql<number>`count(*)::int`.as('total'), sql<number>`(count(*) filter (where state = 'missing'))::int`.as('missing')])
    .executeTakeFirstOrThrow();

  const reports = (noSpeech: boolean) =>
    db
      .selectFrom('transcripts')
      .innerJoin('media', 'media.id', 'transcripts.media_id')
      .select(['media.id', 'media.path', 'transcripts.created_at', 'transcripts.quality'])
      .where('transcripts.no_speech', '=', noSpeech)
      .orderBy('transcripts.created_at', 'desc')
      .orderBy('transcripts.id', 'desc')
      .limit(CAPTIONS_LISTED)
      .execute();
  const noSpeech = await reports(true);
  const captioned = await reports(false);
  const edited = await db
    .selectFrom('caption_edits')
    .innerJoin('media', 'media.id', 'caption_edits.media_id')
    .select(['media.id', 'media.path', 'caption_edits.source', 'caption_edits.imported_at'])
    .orderBy('caption_edits.imported_at', 'desc')
    .limit(CAPTIONS_LISTED)
    .execute();
  const editedTotal = await db
    .selectFrom('caption_edits')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  const noSpeechTotal = await db
    .selectFrom('transcripts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('no_speech', '=', true)
    .executeTakeFirstOrThrow();

  const dayAgo = new Date(now.getTime() - 86_400_000);
  const lastDay = await db
    .selectFrom('jobs')
    .innerJoin('media', 'media.id', 'jobs.media_id')
    .leftJoin('transcripts', 'transcripts.media_id', 'media.id')
    .select(['media.id', 'media.title', 'media.path', 'jobs.finished_at', sql<number>`(count(*) over ())::int`.as('total')])
    .where('jobs.kind', '=', 'captions')
    .where('jobs.state', '=', 'succeeded')
    .where('jobs.finished_at', '>=', dayAgo)
    .where((eb) => eb.or([eb('transcripts.no_speech', '=', false), eb('transcripts.no_speech', 'is', null)]))
    .orderBy('jobs.finished_at', 'desc')
    .limit(LAST_DAY_LISTED)
    .execute();
  const files =
    lastDay.length === 0
      ? []
      : await db
          .selectFrom('artifacts')
          .select(['media_id', 'path'])
          .where(
            'media_id',
            'in',
            lastDay.map((r) => r.id),
          )
          .where('state', '=', 'complete')
          .where('kind', 'in', ['sidecar', 'caption'])
          .orderBy('id')
          .execute();

  return {
    database,
    jobs,
    running: running.map((r) => ({
      id: r.id,
      kind: r.kind,
      mediaId: r.media_id,
      path: r.path,
      worker: r.locked_by,
      startedAt: r.locked_at,
      heartbeatAt: r.heartbeat_at,
      attempts: r.attempts,
    })),
    failures: failures.map((f) => ({
      id: f.id,
      kind: f.kind,
      state: f.state,
      mediaId: f.media_id,
      path: f.path,
      attempts: f.attempts,
      maxAttempts: f.max_attempts,
      error: f.last_error,
      at: f.updated_at,
      retryAt: f.state === 'queued' ? f.run_after : null,
    })),
    lastRuns: latest.map((r) => ({
      command: r.command,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      outcome: r.outcome,
      exitCode: r.exit_code,
      host: r.host,
    })),
    links,
    media,
    captions: {
      noSpeech: { total: noSpeechTotal.n, recent: noSpeech.map((r) => ({ mediaId: r.id, path: r.path, at: r.created_at })) },
      edited: {
        total: editedTotal.n,
        recent: edited.map((r) => ({ mediaId: r.id, path: r.path, from: r.source, at: r.imported_at })),
      },
      recent: captioned.map((r) => {
        // Figures that do not parse (a hand edit) are shown as unknown rather than failing status.
        const quality = storedQuality.safeParse(r.quality);
        return { mediaId: r.id, path: r.path, at: r.created_at, quality: quality.success ? quality.data : null };
      }),
      lastDay: lastDay.map((r) => ({
        mediaId: r.id,
        title: r.title ?? basename(r.path),
        at: r.finished_at ?? now,
        files: files.filter((f) => f.media_id === r.id).map((f) => f.path),
      })),
      lastDayLeftOut: (lastDay[0]?.total ?? 0) - lastDay.length,
    },
  };
}
