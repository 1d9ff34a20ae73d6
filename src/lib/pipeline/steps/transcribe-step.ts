import type { Job, Media } from '../../db/schema.js';
import { errorMessage } from '../../errors.js';
import { isPermanent, type JobOutcome, type StepHandler } from '../../jobs/drain.js';
import { progressReporter } from '../../transcription/progress-report.js';
import { transcribeMedia } from '../../transcription/transcribe-media.js';
import type { PipelineDeps } from '../deps.js';
import { activeMedia } from '../get-media.js';
import { fingerprint, loadTranscript, saveTranscript } from '../transcripts.js';

function failure(error: unknown): JobOutcome {
  return { ok: false, error: errorMessage(error), permanent: isPermanent(error) };
}

/**
 * Transcribes a batch of jobs in one engine run, so the model loads once. An unchanged file
 * keeps its transcript unless forced. A missing engine or ffmpeg rejects the whole batch
 * (UnavailableError): the drain hands the jobs back and the command exits 3.
 */
export function transcribeStep(deps: PipelineDeps): StepHandler {
  return {
    kind: 'transcribe',
    batchSize: deps.config.engine.batchSize,
    async run(jobs, ctx) {
      const outcomes = new Map<number, JobOutcome>();
      const todo = new Map<string, { job: Job; media: Media; fingerprint: string }>();
      for (const job of jobs) {
        try {
          const media = await activeMedia(ctx.db, job.media_id);
          const print = fingerprint(media);
          const existing = await loadTranscript(ctx.db, media.id);
          if (existing && existing.fingerprint === print && !deps.force) {
            outcomes.set(job.id, { ok: true, output: { transcriptId: existing.id, reused: true }, next: ['captions'] });
          } else {
            todo.set(String(job.id), { job, media, fingerprint: print });
          }
        } catch (error) {
          outcomes.set(job.id, failure(error));
        }
      }
      if (todo.size === 0) return outcomes;

      const label = `transcribing ${todo.size} file${todo.size > 1 ? 's' : ''} with ${deps.engine.kind}`;
      const progress = progressReporter({ log: ctx.log, label });
      let results;
      try {
        results = await transcribeMedia(
          deps.engine,
          [...todo].map(([id, entry]) => ({
            id,
            path: entry.media.path,
            ...(deps.config.engine.audioStream !== undefined ? { audioStream: deps.config.engine.audioStream } : {}),
          })),
          {
            workRoot: deps.config.paths.work,
            log: ctx.log,
            signal: ctx.signal,
            heartbeat: ctx.heartbeat,
            timeoutFactor: deps.config.engine.timeoutFactor,
            minTimeoutMs: deps.config.engine.minTimeoutMinutes * 60_000,
            onProgress: progress.update,
          },
        );
      } finally {
        progress.stop();
      }
      for (const result of results) {
        const entry = todo.get(result.id);
        if (!entry) continue;
        if (!result.transcript) {
          outcomes.set(entry.job.id, failure(result.error ?? new Error('the engine produced no transcript')));
          continue;
        }
        const transcriptId = await saveTranscript(ctx.db, entry.media.id, result.transcript, {
          engine: deps.engine.kind,
          model: deps.engine.model,
          fingerprint: entry.fingerprint,
        });
        outcomes.set(entry.job.id, {
          ok: true,
          output: { transcriptId, words: result.transcript.words.length, language: result.transcript.language ?? null },
          next: ['captions'],
        });
      }
      return outcomes;
    },
  };
}
