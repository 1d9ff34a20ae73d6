import { basename } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/schema.js';
import type { Db } from '../db/schema.js';
import { parseWriteback } from '../linking/writeback.js';
import { storedQuality } from '../pipeline/transcripts.js';
import { parseUploadState } from '../upload/upload-state.js';
import type { ReportFile, ReportRecording } from './model.js';
import { recordingOutcome } from './outcome.js';

/** The captions step's output, for the files it left alone (someone else's file of that name). */
const captionsOutput = z.object({
  files: z.array(z.object({ path: z.string(), leftAlone: z.string().optional() })).optional(),
});

/** The transcribe step's output, for the silence it left out. */
const transcribeOutput = z.object({
  skippedSilence: z.object({ stretches: z.number().int(), seconds: z.number() }).optional(),
});

export interface RecordingsQuery {
  since: Date;
  site?: string | undefined;
  now: Date;
}

/** Every recording something happened to since `since`: its jobs changed, or it was found. */
export async function collectRecordings(db: Db, config: Pick<Config, 'sites'>, query: RecordingsQuery): Promise<ReportRecording[]> {
  let mediaQuery = db
    .selectFrom('media')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('media.created_at', '>=', query.since),
        eb.exists(
          eb.selectFrom('jobs').select('jobs.id').whereRef('jobs.media_id', '=', 'media.id').where('jobs.updated_at', '>=', query.since),
        ),
      ]),
    )
    .orderBy('media.id');
  if (query.site !== undefined) mediaQuery = mediaQuery.where('media.site', '=', query.site);
  const media = await mediaQuery.execute();
  if (media.length === 0) return [];
  const ids = media.map((m) => m.id);

  const jobs = await db.selectFrom('jobs').selectAll().where('media_id', 'in', ids).orderBy('id').execute();
  const artifacts = await db
    .selectFrom('artifacts')
    .select(['media_id', 'kind', 'path'])
    .where('media_id', 'in', ids)
    .where('state', '=', 'complete')
    .orderBy('id')
    .execute();
  const transcripts = await db
    .selectFrom('transcripts')
    .select(['id', 'media_id', 'engine', 'model', 'language', 'no_speech', 'quality'])
    .where('media_id', 'in', ids)
    .execute();
  const edits = await db.selectFrom('caption_edits').select(['media_id', 'source', 'imported_at']).where('media_id', 'in', ids).execute();
  const links = await db
    .selectFrom('links')
    .select(['transcript_id', 'show_id', 'state', 'method', 'writeback', 'last_error'])
    .where('transcript_id', 'in', transcripts.length === 0 ? [-1] : transcripts.map((t) => t.id))
    .execute();

  return media.map((m): ReportRecording => {
    const mine = jobs.filter((j) => j.media_id === m.id);
    const transcript = transcripts.find((t) => t.media_id === m.id);
    const link = transcript ? links.find((l) => l.transcript_id === transcript.id) : undefined;
    const outcome = recordingOutcome({
      mediaId: m.id,
      jobs: mine.map((j) => ({ id: j.id, kind: j.kind, state: j.state, lastError: j.last_error, runAfter: j.run_after })),
      noSpeech: transcript?.no_speech ?? null,
      link: link ? { state: link.state, lastError: link.last_error } : null,
      now: query.now,
    });
    const files: ReportFile[] = artifacts.filter((a) => a.media_id === m.id).map((a) => ({ kind: a.kind, path: a.path, leftAlone: null }));
    const captionsJob = mine.find((j) => j.kind === 'captions' && j.state === 'succeeded');
    for (const file of captionsOutput.safeParse(captionsJob?.output).data?.files ?? []) {
      if (file.leftAlone !== undefined) files.push({ kind: 'caption', path: file.path, leftAlone: file.leftAlone });
    }
    const transcribe = mine.find((j) => j.kind === 'transcribe' && j.state === 'succeeded');
    const silence = transcribeOutput.safeParse(transcribe?.output).data?.skippedSilence;
    const upload = parseUploadState(mine.find((j) => j.kind === 'upload')?.output);
    const writeback = link ? parseWriteback(link.writeback) : null;
    const quality = storedQuality.safeParse(transcript?.quality);
    const edit = edits.find((e) => e.media_id === m.id);
    const updated = Math.max(m.updated_at.getTime(), ...mine.map((j) => j.updated_at.getTime()));
    return {
      mediaId: m.id,
      site: m.site,
      siteName: config.sites.find((s) => s.key === m.site)?.name ?? m.site,
      title: m.title ?? basename(m.path),
      path: m.path,
      source: m.source,
      date: m.event_date ?? m.mtime?.toISOString().slice(0, 10) ?? null,
      durationSec: m.duration_sec,
      missing: m.state === 'missing',
      outcome: outcome.outcome,
      step: outcome.step,
      reason: outcome.reason,
      jobId: outcome.jobId,
      retryAt: outcome.retryAt?.toISOString() ?? null,
      pending: outcome.pending,
      files,
      cablecast: {
        showId: link?.show_id ?? m.cablecast_show_id ?? m.file_show_id,
        link: link
          ? {
              state: link.state,
              method: link.method,
              writeback: writeback ? { state: writeback.state, reason: writeback.reason ?? null } : null,
            }
          : null,
        upload: upload ? { fileName: upload.fileName, store: upload.store, finished: upload.finished } : null,
      },
      transcript: transcript
        ? {
            engine: transcript.engine,
            model: transcript.model,
            language: transcript.language,
            seconds:
              transcribe?.locked_at && transcribe.finished_at
                ? Math.round((transcribe.finished_at.getTime() - transcribe.locked_at.getTime()) / 1000)
                : null,
            skippedSilence: silence && silence.stretches > 0 ? { stretches: silence.stretches, seconds: silence.seconds } : null,
          }
        : null,
      quality: quality.success ? quality.data : null,
      edited: edit ? { from: edit.source, at: edit.imported_at.toISOString() } : null,
      updatedAt: new Date(updated).toISOString(),
    };
  });
}
