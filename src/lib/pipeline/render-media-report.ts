import { z } from 'zod';
import { fitTable } from '../status/fit-table.js';
import type { LineWidth } from '../text/line-width.js';
import { terminalSafe } from '../text/terminal-safe.js';
import type { MediaReport } from './media-report.js';

function formatSeconds(seconds: number): string {
  return seconds >= 90 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}

/** What a step's stored output may say, read as far as it is well formed (the fields of probe, transcribe and captions). */
const stepOutput = z.object({
  noSpeech: z.boolean().optional(),
  warnings: z.array(z.string()).optional(),
  files: z.array(z.object({ path: z.string(), leftAlone: z.string().optional() })).optional(),
  reused: z.boolean().optional(),
  skippedSilence: z.object({ stretches: z.number().int(), seconds: z.number() }).optional(),
});

function describeOutput(stored: unknown): string {
  const output = stepOutput.safeParse(stored).data;
  if (!output) return '';
  if (output.noSpeech) return 'no speech: nothing to caption, no files written';
  // One line per file or warning: each made safe on its own, so a line feed inside a name cannot start a line.
  if (output.files) {
    const lines = [
      ...output.files.map((f) => (f.leftAlone ? `${f.path} (left alone: ${f.leftAlone})` : f.path)),
      ...(output.warnings ?? []),
    ];
    return lines.map((line) => terminalSafe(line)).join('\n');
  }
  if (output.reused) return 'unchanged since its transcript: reused';
  const skipped = output.skippedSilence;
  if (skipped && skipped.stretches > 0)
    return `skipped ${formatSeconds(skipped.seconds)} of silence (${skipped.stretches} stretch${skipped.stretches === 1 ? '' : 'es'})`;
  return '';
}

/** Lines a step's result may take before it is cut and points at `jobs show`. */
const RESULT_LINES = 8;

export function renderMediaReports(reports: readonly MediaReport[], width: LineWidth): string {
  const steps = reports.flatMap((report) => report.steps.map((step, i) => ({ path: i === 0 ? report.path : '', step })));
  return fitTable(
    [
      { head: 'file', keep: 'end' },
      { head: 'step' },
      { head: 'state' },
      { head: 'result', maxLines: RESULT_LINES, more: (row) => `jobs show ${steps[row]?.step.jobId ?? ''}` },
    ],
    // The path made safe on its own: a line feed in a name shows as ␊ rather than starting a line.
    steps.map(({ path, step }) => [terminalSafe(path), step.kind, step.state, step.error ?? describeOutput(step.output)]),
    { width },
  );
}
