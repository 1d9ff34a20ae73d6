import { buildCaptions, type CaptionBuild, type CaptionOptions } from '../captions/files.js';
import { TranscriptTimeError } from '../captions/times.js';
import type { Transcript } from '../captions/transcript.js';
import type { CaptionSettings } from '../config/schema.js';
import type { Media } from '../db/schema.js';
import { PermanentError } from '../errors.js';

/** The captions settings as the caption library takes them. */
export function captionOptions(
  settings: Pick<CaptionSettings, 'maxRows' | 'hallucinations' | 'substitutions' | 'profanity'>,
  recording: { source: string; durationSeconds?: number | undefined },
): CaptionOptions {
  const options: CaptionOptions = {
    maxRows: settings.maxRows,
    source: recording.source,
    hallucinations: { mode: settings.hallucinations },
    substitutions: settings.substitutions,
    profanity: { mode: settings.profanity },
  };
  if (recording.durationSeconds !== undefined) options.durationSeconds = recording.durationSeconds;
  return options;
}

/**
 * The captions of a recording's stored transcript, with its times checked against the
 * probe's duration. A word outside the recording means the transcript is not of it (or is
 * corrupt): that job can never succeed, but the other recordings' captions go on, so it is
 * a permanent error here rather than the usage error the library raises for a user's file.
 */
export function captionsForMedia(
  stored: { id: number; transcript: Transcript },
  media: Pick<Media, 'path' | 'duration_sec'>,
  settings: CaptionSettings,
): CaptionBuild {
  const source = `transcript ${stored.id} of ${media.path}`;
  try {
    return buildCaptions(stored.transcript, captionOptions(settings, { source, durationSeconds: media.duration_sec ?? undefined }));
  } catch (error) {
    if (!(error instanceof TranscriptTimeError)) throw error;
    throw new PermanentError(`${error.message}: transcribe the recording again (archivist transcribe --force "${media.path}")`, {
      cause: error,
    });
  }
}

/** A warning for what SCC could not carry, or undefined when it carried everything. */
export function uncarriedWarning(build: Pick<CaptionBuild, 'scc'>): string | undefined {
  const scc = build.scc;
  if (!scc || (scc.uncarried === 0 && scc.notes === 0)) return undefined;
  const notes = scc.notes > 0 ? `, ${scc.notes} line${scc.notes === 1 ? '' : 's'} shown as a bracketed note` : '';
  return `SCC could not carry ${scc.uncarried} character${scc.uncarried === 1 ? '' : 's'}${notes} (SRT and WebVTT carry them)`;
}
