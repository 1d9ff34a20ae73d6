import { fitTable } from '../status/fit-table.js';
import { formatTime } from '../status/format.js';
import type { LineWidth } from '../text/line-width.js';
import { terminalSafe } from '../text/terminal-safe.js';
import type { LinkStatus } from './link-status.js';
import type { LinkPreview } from './preview-link.js';
import type { WritebackRecord } from './writeback.js';

/** `waiting: <why>`, `failed: <why>`, `written 2026-12-01`. */
export function describeWriteback(writeback: WritebackRecord | 'off' | null): string {
  if (writeback === null) return '-';
  if (writeback === 'off') return 'off';
  if (writeback.state === 'written') return `${writeback.wrote ? 'written' : 'already set'} ${writeback.at.slice(0, 10)}`;
  const reason = writeback.reason ?? '';
  return `${writeback.state}${reason === '' ? '' : `: ${reason}`}`;
}

/** The file's name, made safe on its own: a line feed in it shows as ␊ rather than starting a line. */
function fileName(path: string): string {
  return terminalSafe(path.replace(/^.*[/\\]/, ''));
}

/** Lines a reason may take in a table on a terminal (`link-queue --status` has it whole). */
const REASON_LINES = 3;

export function renderLinkTable(links: readonly LinkStatus[], width: LineWidth): string {
  if (links.length === 0) return 'no links yet';
  return fitTable(
    [
      { head: 'media' },
      { head: 'file', keep: 'end' },
      { head: 'state' },
      { head: 'show' },
      { head: 'method' },
      { head: 'score' },
      { head: 'tries' },
      { head: 'next try' },
      { head: 'write-back', maxLines: REASON_LINES },
    ],
    links.map((link) => [
      link.mediaId,
      fileName(link.path),
      link.state,
      link.showId ?? '-',
      link.method ?? '-',
      link.score === null ? '-' : link.score.toFixed(2),
      link.attempts,
      link.nextAttemptAt ? formatTime(new Date(link.nextAttemptAt)) : '-',
      describeWriteback(link.writeback),
    ]),
    { width },
  );
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

export function renderPreviews(previews: readonly LinkPreview[], width: LineWidth): string {
  if (previews.length === 0) return 'no link work is due';
  return fitTable(
    [
      { head: 'media' },
      { head: 'file', keep: 'end' },
      { head: 'now' },
      { head: 'would' },
      { head: 'show' },
      { head: 'method' },
      { head: 'score' },
      { head: 'write-back' },
    ],
    previews.map((p) => [
      p.mediaId,
      fileName(p.path),
      p.current,
      p.outcome === 'keep' ? 'no change' : p.outcome === 'retry' ? 'retry later' : p.outcome,
      p.showId ?? '-',
      p.method ?? '-',
      p.score === null ? '-' : p.score.toFixed(2),
      p.outcome === 'retry' || p.outcome === 'needs_review' ? (p.reason ?? '') : p.writeback,
    ]),
    { width },
  );
}
