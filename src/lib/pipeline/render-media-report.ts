import Table from 'cli-table3';
import { truncate } from '../status/format.js';
import type { MediaReport } from './media-report.js';

function describeOutput(output: unknown): string {
  if (!output || typeof output !== 'object') return '';
  if ((output as { noSpeech?: boolean }).noSpeech) return 'no speech: nothing to caption, no files written';
  const warnings = (output as { warnings?: string[] }).warnings ?? [];
  const files = (output as { files?: { path: string; leftAlone?: string }[] }).files;
  if (files) return [...files.map((f) => (f.leftAlone ? `${f.path} (left alone: ${f.leftAlone})` : f.path)), ...warnings].join('\n');
  if ((output as { reused?: boolean }).reused) return 'unchanged since its transcript: reused';
  return '';
}

export function renderMediaReports(reports: readonly MediaReport[]): string {
  const table = new Table({
    head: ['file', 'step', 'state', 'result'],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [36, 12, 11, 60],
  });
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
