import { truncate } from '../status/format.js';
import { terminalTable } from '../status/table.js';
import { terminalSafe } from '../text/terminal-safe.js';
import type { MediaReport } from './media-report.js';

function formatSeconds(seconds: number): string {
  return seconds >= 90 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}

function describeOutput(output: unknown): string {
  if (!output || typeof output !== 'object') return '';
  if ((output as { noSpeech?: boolean }).noSpeech) return 'no speech: nothing to caption, no files written';
  const warnings = (output as { warnings?: string[] }).warnings ?? [];
  const files = (output as { files?: { path: string; leftAlone?: string }[] }).files;
  // One line per file or warning: each made safe on its own, so a line feed inside a name cannot start a line.
  if (files) {
    const lines = [...files.map((f) => (f.leftAlone ? `${f.path} (left alone: ${f.leftAlone})` : f.path)), ...warnings];
    return lines.map((line) => terminalSafe(line)).join('\n');
  }
  if ((output as { reused?: boolean }).reused) return 'unchanged since its transcript: reused';
  const skipped = (output as { skippedSilence?: { stretches: number; seconds: number } }).skippedSilence;
  if (skipped && skipped.stretches > 0)
    return `skipped ${formatSeconds(skipped.seconds)} of silence (${skipped.stretches} stretch${skipped.stretches === 1 ? '' : 'es'})`;
  return '';
}

export function renderMediaReports(reports: readonly MediaReport[]): string {
  const table = terminalTable(['file', 'step', 'state', 'result'], { wordWrap: true, colWidths: [36, 12, 11, 60], multiline: true });
  for (const report of reports) {
    for (const [i, step] of report.steps.entries()) {
      table.push([
        i === 0 ? truncate(report.path, 200) : '',
        step.kind,
        step.state,
        step.error ? truncate(step.error, 300) : describeOutput(step.output),
      ]);
    }
  }
  return table.toString();
}
