import type { CaptionSettings, Site } from '../../config/schema.js';
import type { Job, Media } from '../../db/schema.js';
import type { StepHandler } from '../../jobs/drain.js';
import { outcomeOf, type JobOutcome } from '../../jobs/outcome.js';
import { storedFacts } from '../../media/probe.js';
import { ENGINE_PROMPT_TOKENS, buildEnginePrompt, type EnginePrompt } from '../../transcription/prompt.js';
import { extractBatch, transcribeExtracted, type ExtractedBatch } from '../../transcription/transcribe-media.js';
import type { StepDeps } from '../deps.js';
import { discardEdit, findEdit } from '../../edits/caption-edits.js';
import { activeMedia } from '../get-media.js';
import { fingerprint, loadTranscript, saveTranscript } from '../transcripts.js';
import { definePreparedStep } from './define-step.js';

/**
 * The one prompt a batch's engine run gets: the recordings' show titles, their sites'
 * vocabulary, then the station's, within the engine's prompt length.
 */
export function batchPrompt(
  media: readonly Pick<Media, 'site' | 'title'>[],
  config: { sites: readonly Pick<Site, 'key' | 'vocabulary'>[]; captions: Pick<CaptionSettings, 'vocabulary'> },
): EnginePrompt {
  const sites = [...new Set(media.map((m) => m.site))];
  return buildEnginePrompt({
    titles: media.flatMap((m) => (m.title === null ? [] : [m.title])),
    vocabulary: [...sites.map((key) => config.sites.find((site) => site.key === key)?.vocabulary ?? []), config.captions.vocabulary],
  });
}

/**
 * Transcribes a batch of jobs in one engine run, so the model loads once. An unchanged file
 * keeps its transcript unless forced; a recording whose captions a person edited keeps its
 * transcript, forced or changed, unless its edit is discarded (--discard-edits). A missing engine or ffmpeg rejects the whole batch
 * (unavailable): the drain hands the jobs back and transcription waits for the next run.
 *
 * In two parts: preparing reads the jobs and extracts their audio; the rest runs the engine
 * and saves the transcripts. With `engine.extractAhead` the drain prepares the next batch
 * while the engine runs on this one. Preparing changes nothing in the database, so a batch
 * prepared but not run leaves no trace.
 */
export function transcribeStep(deps: StepDeps<'paths' | 'captions' | 'sites'>): StepHandler {
  const settings = deps.config.engine;
  return definePreparedStep(
    'transcribe',
    deps.config,
    async (jobs, ctx) => {
      const outcomes = new Map<number, JobOutcome>();
      const todo = new Map<string, { job: Job; media: Media; fingerprint: string }>();
      const found: Media[] = [];
      for (const job of jobs) {
        try {
          const media = await activeMedia(ctx.db, job.media_id);
          found.push(media);
          // An edit about to be discarded (when the batch runs) counts as gone already.
          const edit = deps.discardEdits ? undefined : await findEdit(ctx.db, media.id);
          if (edit) {
            outcomes.set(job.id, { status: 'succeeded', output: { humanEdited: true, from: edit.source } });
            continue;
          }
          const print = fingerprint(media);
          const existing = await loadTranscript(ctx.db, media.id);
          if (existing?.fingerprint === print && !deps.force) {
            outcomes.set(job.id, { status: 'succeeded', output: { transcriptId: existing.id, reused: true } });
          } else {
            todo.set(String(job.id), { job, media, fingerprint: print });
          }
        } catch (error) {
          outcomes.set(job.id, outcomeOf(error));
        }
      }
      const audio =
        todo.size === 0
          ? undefined
          : await extractBatch(
              [...todo].map(([id, entry]) => ({
                id,
                path: entry.media.path,
                audioStream: settings.audioStream,
                // The file is unchanged since its probe (a change queues the probe again), so its facts hold.
                facts: storedFacts(entry.media.probe),
              })),
              {
                workRoot: deps.config.paths.work,
                log: ctx.log,
                signal: ctx.signal,
                heartbeat: ctx.heartbeat,
                skipSilence: settings.skipSilence,
              },
            );

      const transcribe = async (extracted: ExtractedBatch): Promise<void> => {
        const prompt = batchPrompt(
          [...todo.values()].map((entry) => entry.media),
          deps.config,
        );
        if (prompt.omitted.length > 0) {
          ctx.log.warn(
            { omitted: prompt.omitted },
            `the engine prompt is full (${ENGINE_PROMPT_TOKENS} tokens): left out ${prompt.omitted.length} title(s) and term(s): ${prompt.omitted.join(', ')}`,
          );
        }
        const progress = deps.progress.bar(`transcribing ${todo.size} file${todo.size > 1 ? 's' : ''} with ${deps.engine.kind}`);
        let results;
        try {
          results = await transcribeExtracted(deps.engine, extracted, {
            log: ctx.log,
            signal: ctx.signal,
            heartbeat: ctx.heartbeat,
            onEngineStart: ctx.recordProcessGroup,
            timeoutFactor: settings.timeoutFactor,
            minTimeoutMs: settings.minTimeoutMinutes * 60_000,
            onProgress: progress.update,
            env: deps.env,
            prompt: prompt.prompt,
          });
        } finally {
          progress.stop();
        }
        for (const result of results) {
          const entry = todo.get(result.id);
          if (!entry) continue;
          if (!result.transcript) {
            outcomes.set(entry.job.id, outcomeOf(result.error ?? new Error('the engine produced no transcript')));
            continue;
          }
          const transcriptId = await saveTranscript(ctx.db, entry.media.id, result.transcript, {
            engine: deps.engine.kind,
            model: deps.engine.model,
            fingerprint: entry.fingerprint,
          });
          outcomes.set(entry.job.id, {
            status: 'succeeded',
            output: {
              transcriptId,
              words: result.transcript.words.length,
              language: result.transcript.language ?? null,
              ...(result.skipped ? { skippedSilence: result.skipped } : {}),
            },
          });
        }
      };

      return {
        run: async () => {
          if (deps.discardEdits) for (const media of found) await discardEdit(ctx.db, media.id);
          if (audio) await transcribe(audio);
          return outcomes;
        },
        discard: async () => audio?.discard(),
      };
    },
    settings.extractAhead,
  );
}
