/** A stretch FFmpeg's silencedetect reported, in seconds of the extracted audio. */
export interface Silence {
  start: number;
  /** Absent when the audio ends silent: silencedetect reports no end then. */
  end?: number | undefined;
}

/** Samples [start, end) of the extracted audio. */
export interface SampleSpan {
  start: number;
  end: number;
}

export interface SpeechPlanOptions {
  sampleRate: number;
  /** Samples in the extracted audio. */
  totalSamples: number;
  /** Kept on each side of a skipped stretch, so a word fading into the silence is not clipped. */
  paddingSec: number;
  /** A stretch shorter than this, after padding, is kept: cutting it saves nothing worth a join. */
  minSkipSec: number;
  /** Cuts fall on multiples of this many samples (default 1). */
  alignSamples?: number;
}

export interface SpeechPlan {
  /** What the engine hears, in order; empty when the audio is all silence. */
  kept: SampleSpan[];
  /** What it does not. */
  skipped: SampleSpan[];
}

/**
 * The spans of the audio the engine is given: everything but the silences, each silence
 * shrunk by the padding on the sides that touch sound (the start and end of the recording
 * need none). Boundaries are whole samples on the `alignSamples` grid, rounded towards
 * keeping more, so the time map built from them is exact sample arithmetic.
 */
export function planSpeechSpans(silences: readonly Silence[], options: SpeechPlanOptions): SpeechPlan {
  const { sampleRate, totalSamples } = options;
  const pad = options.paddingSec * sampleRate;
  const minSkip = Math.max(1, Math.round(options.minSkipSec * sampleRate));
  const grid = options.alignSamples ?? 1;
  const cuts: SampleSpan[] = [];
  const ordered = [...silences].sort((a, b) => a.start - b.start);
  for (const silence of ordered) {
    const from = silence.start * sampleRate;
    const to = silence.end === undefined ? totalSamples : silence.end * sampleRate;
    const start = Math.max(0, from <= 0 ? 0 : Math.ceil((from + pad) / grid) * grid);
    const end = Math.min(totalSamples, to >= totalSamples ? totalSamples : Math.floor((to - pad) / grid) * grid);
    if (end - start < minSkip) continue;
    const last = cuts.at(-1);
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else cuts.push({ start, end });
  }
  const kept: SampleSpan[] = [];
  let at = 0;
  for (const cut of cuts) {
    if (cut.start > at) kept.push({ start: at, end: cut.start });
    at = cut.end;
  }
  if (at < totalSamples) kept.push({ start: at, end: totalSamples });
  return { kept, skipped: cuts };
}
