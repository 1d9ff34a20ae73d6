import { formatTime, truncate } from '../status/format.js';
import { terminalTable } from '../status/table.js';
import { terminalSafe } from '../text/terminal-safe.js';
import type { LinkStatus } from './link-status.js';
import type { LinkPreview } from './preview-link.js';
import type { WritebackRecord } from './writeback.js';

/** `waiting: <why>`, `failed: <why>`, `written 2026-12-01`; a reason longer than `maxReason` is cut. */
export function describeWriteback(writeback: WritebackRecord | 'off' | null, maxReason = Infinity): string {
  if (writeback === null) return '-';
  if (writeback === 'off') return 'off';
  if (writeback.state === 'written') return `${writeback.wrote ? 'written' : 'already set'} ${writeback.at.slice(0, 10)}`;
  const reason = writeback.reason ?? '';
  return `${writeback.state}${reason === '' ? '' : `: ${Number.isFinite(maxReason) ? truncate(reason, maxReason) : reason}`}`;
}

function fileName(path: string): string {
  return path.replace(/^.*[/\\]/, '');
}

export function renderLinkTable(links: readonly LinkStatus[]): string {
  if (links.length === 0) return 'no links yet';
  const table = terminalTable(['media', 'file', 'state', 'show', 'method', 'score', 'tries', 'next try', 'write-back'], {
    wordWrap: true,
    colWidths: [7, 36, 14, 8, 16, 7, 6, 22, 28],
  });
  for (const link of links) {
    table.push([
      link.mediaId,
      truncate(fileName(link.path), 120),
      link.state,
      link.showId ?? '-',
      link.method ?? '-',
      link.score === null ? '-' : link.score.toFixed(2),
      link.attempts,
      link.nextAttemptAt ? formatTime(new Date(link.nextAttemptAt)) : '-',
      describeWriteback(link.writeback, 160),
    ]);
  }
  return table.toString();
}

export function renderLinkDetail(link: LinkStatus): string {
  const lines = [
    `link ${link.linkId}: media ${link.mediaId}, transcript ${link.transcriptId}`,
    `  file:        ${link.path}`,
    `  state:       ${link.state}`,
    `  show:        ${link.showId ?? '-'}${link.method ? ` (${link.method}${link.score === null ? '' : `, score ${link.score.toFixed(2)}`})` : ''}`,
    `  attempts:    ${link.attempts}${link.nextAttemptAt ? `, next ${formatTime(new Date(link.nextAttemptAt))}` : ''}`,
    `  write-back:  ${describeWriteback(link.writeback)}${link.writeback?.value ? ` ("${link.writeback.value}")` : ''}`,
  ];
  if (link.lastError) lines.push(`  last result: ${link.lastError}`);
  if (link.suggestions.length > 0) {
    lines.push('  suggestions (link one with: archivist link-queue --link media:' + `${link.mediaId} --show <id>):`);
    for (const s of link.suggestions)
      lines.push(`    show ${s.showId}  score ${s.score.toFixed(2)}  ${s.eventDate ?? 'undated'}  ${s.title}`);
  }
  return lines.map((line) => terminalSafe(line)).join('\n');
}

export function renderPreviews(previews: readonly LinkPreview[]): string {
  if (previews.length === 0) return 'no link work is due';
  const table = terminalTable(['media', 'file', 'now', 'would', 'show', 'method', 'score', 'write-back'], {
    wordWrap: true,
    colWidths: [7, 34, 14, 14, 8, 16, 7, 40],
  });
  for (const p of previews) {
    table.push([
      p.mediaId,
      truncate(fileName(p.path), 120),
      p.current,
      p.outcome === 'keep' ? 'no change' : p.outcome === 'retry' ? 'retry later' : p.outcome,
      p.showId ?? '-',
      p.method ?? '-',
      p.score === null ? '-' : p.score.toFixed(2),
      p.outcome === 'retry' || p.outcome === 'needs_review' ? truncate(p.reason ?? '', 200) : p.writeback,
    ]);
  }
  return table.toString();
}
