import type { Silence } from './speech-spans.js';

/** What counts as silence: below `thresholdDb` (dBFS) for at least `minSeconds`. */
export interface SilenceDetection {
  thresholdDb: number;
  minSeconds: number;
}

/**
 * The filter chain for the extraction pass: convert to the engine's format first, so silence
 * is judged on exactly the samples the engine gets, then number time by samples (N/SR), so
 * reported times are positions in the WAV whatever the input's start time. `ametadata` prints
 * silencedetect's findings on stdout, apart from ffmpeg's own messages on stderr.
 */
export function silenceFilter(detection: SilenceDetection, sampleRate: number): string {
  return [
    `aformat=sample_fmts=s16:sample_rates=${sampleRate}:channel_layouts=mono`,
    'asetpts=N/SR/TB',
    `silencedetect=noise=${detection.thresholdDb}dB:duration=${detection.minSeconds}`,
    'ametadata=mode=print:file=-',
  ].join(',');
}

const entry = /^lavfi\.silence_(start|end)=(-?[0-9.]+(?:e[-+]?[0-9]+)?)$/;

/**
 * Silences from ametadata's lines (`lavfi.silence_start=12.3`, `lavfi.silence_end=15.6`). A
 * start with no end runs to the end of the audio (silencedetect reports no end then). The
 * times carry six significant digits, about 0.01 s at an hour: the padding dwarfs that.
 */
export function parseSilences(stdout: string): Silence[] {
  const silences: Silence[] = [];
  let open: number | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    const match = entry.exec(line.trim());
    if (!match) continue;
    const value = Math.max(0, Number(match[2]));
    if (!Number.isFinite(value)) continue;
    if (match[1] === 'start') {
      open ??= value;
    } else if (open !== undefined) {
      silences.push({ start: open, end: Math.max(open, value) });
      open = undefined;
    }
  }
  if (open !== undefined) silences.push({ start: open });
  return silences;
}
