import { unlink } from 'node:fs/promises';
import { renameIntoPlace } from '../fs/atomic.js';
import { extractAudio, type ExtractAudioOptions } from './extract-audio.js';
import type { MediaFacts } from './probe.js';
import { planSpeechSpans } from './speech-spans.js';
import { engineSeconds, type TimeMap } from './time-map.js';
import { readWavLayout, writeWavSpans } from './wav-spans.js';

/**
 * Whisper times words in 20 ms steps from the start of its audio. Cutting on that grid keeps
 * the engine's steps where they fall on the whole recording, so a word is timed the same
 * whether or not silence before it was skipped.
 */
const WHISPER_STEP_SEC = 0.02;

/** `engine.skipSilence`. */
export interface SkipSilenceSettings {
  enabled: boolean;
  thresholdDb: number;
  minSeconds: number;
  paddingSeconds: number;
}

/** What silence skipping left out of one recording. */
export interface SkippedSilence {
  /** Stretches left out. */
  stretches: number;
  /** Seconds left out. */
  seconds: number;
  /** Seconds the engine hears. */
  engineSeconds: number;
}

export interface ExtractedSpeech {
  /** Not written when `silent`. */
  wavPath: string;
  facts: MediaFacts;
  /** Seconds of audio in the WAV. */
  durationSec: number;
  /** Engine time to recording time; absent when nothing was skipped (the times are the recording's). */
  timeMap?: TimeMap;
  /** Absent when skipping is off. */
  skipped?: SkippedSilence;
  /** The whole recording is silence: there is nothing to give the engine. */
  silent: boolean;
}

/**
 * Extracts `input`'s audio to `output` for the engine. With skipping on, the one extraction
 * pass also finds the silences; the WAV is then rewritten holding only the kept spans (by byte
 * ranges), and the time map says where each piece came from. `output` appears only complete.
 */
export async function extractSpeech(
  input: string,
  output: string,
  skip: SkipSilenceSettings,
  options: Omit<ExtractAudioOptions, 'silence'> = {},
): Promise<ExtractedSpeech> {
  if (!skip.enabled) {
    const { wavPath, facts } = await extractAudio(input, output, options);
    return { wavPath, facts, durationSec: facts.durationSec, silent: false };
  }
  const whole = `${output}.whole.wav`;
  try {
    const { facts, silences } = await extractAudio(input, whole, {
      ...options,
      silence: { thresholdDb: skip.thresholdDb, minSeconds: skip.minSeconds },
    });
    const layout = await readWavLayout(whole);
    const plan = planSpeechSpans(silences, {
      sampleRate: layout.sampleRate,
      totalSamples: layout.frames,
      paddingSec: skip.paddingSeconds,
      minSkipSec: skip.minSeconds - 2 * skip.paddingSeconds,
      alignSamples: Math.round(layout.sampleRate * WHISPER_STEP_SEC),
    });
    const map: TimeMap = { sampleRate: layout.sampleRate, kept: plan.kept };
    const heard = engineSeconds(map);
    const skipped: SkippedSilence = {
      stretches: plan.skipped.length,
      seconds: (layout.frames - heard * layout.sampleRate) / layout.sampleRate,
      engineSeconds: heard,
    };
    const durationSec = layout.frames / layout.sampleRate;
    if (plan.skipped.length === 0) {
      await renameIntoPlace(whole, output);
      return { wavPath: output, facts, durationSec, skipped, silent: false };
    }
    if (plan.kept.length > 0) await writeWavSpans(whole, layout, plan.kept, output);
    return { wavPath: output, facts, durationSec: heard, timeMap: map, skipped, silent: plan.kept.length === 0 };
  } finally {
    await unlink(whole).catch(() => undefined);
  }
}
