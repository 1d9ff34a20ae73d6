import { terminalTable } from '../status/table.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { describeChange } from './changes.js';
import type { CleanupReport } from './run-cleanup.js';

export function renderCleanup(report: CleanupReport): string {
  const lines: string[] = [];
  if (report.changes.length === 0) {
    lines.push(report.dryRun ? 'nothing to clean up' : 'nothing needed cleaning up');
  } else {
    const table = terminalTable([report.dryRun ? 'would be' : 'change', 'what', 'why'], { wordWrap: true, colWidths: [16, 60, 56] });
    for (const change of report.changes) {
      const row = describeChange(change);
      table.push([row.action, row.target, row.detail]);
    }
    lines.push(table.toString());
  }
  for (const note of report.notes) lines.push(terminalSafe(`note: ${note}`));
  if (report.linkCheckFailed) lines.push(terminalSafe(`links were not checked: ${report.linkCheckFailed.message}`));
  if (report.dryRun && report.changes.length > 0) lines.push('dry run: nothing was changed');
  return lines.join('\n');
}
