import { fitTable } from '../status/fit-table.js';
import type { LineWidth } from '../text/line-width.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { describeChange } from './changes.js';
import type { CleanupReport } from './run-cleanup.js';

export function renderCleanup(report: CleanupReport, width: LineWidth): string {
  const lines: string[] = [];
  if (report.changes.length === 0) {
    lines.push(report.dryRun ? 'nothing to clean up' : 'nothing needed cleaning up');
  } else {
    const rows = report.changes.map((change) => {
      const row = describeChange(change);
      // The path made safe on its own first: a line feed in a name shows as ␊ rather than starting a line.
      return [row.action, terminalSafe(row.target), row.detail];
    });
    lines.push(
      fitTable([{ head: report.dryRun ? 'would be' : 'change' }, { head: 'what', keep: 'end' }, { head: 'why' }], rows, { width }),
    );
  }
  for (const note of report.notes) lines.push(terminalSafe(`note: ${note}`));
  if (report.linkCheckFailed) lines.push(terminalSafe(`links were not checked: ${report.linkCheckFailed.message}`));
  if (report.dryRun && report.changes.length > 0) lines.push('dry run: nothing was changed');
  return lines.join('\n');
}
