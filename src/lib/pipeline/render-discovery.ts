import { truncate } from '../status/format.js';
import type { VodSkipKind } from '../sources/cablecast-source.js';
import { terminalTable } from '../status/table.js';
import type { Discovery } from './discover.js';

const SHOW_NEWS = new Set<VodSkipKind>(['not-ready', 'unknown', 'captioned-elsewhere']);

const NEXT: Record<string, string> = { new: 'queue for captions', changed: 'changed since last seen: redo', known: 'known: nothing new' };

/** The plan `--dry-run` prints: every site, then every recording and what would happen. */
export function renderDiscovery(discovery: Discovery): string {
  const sites = terminalTable(['site', 'where', 'found', 'skipped', 'problem']);
  for (const scan of discovery.shares) {
    sites.push([scan.site, scan.share, String(scan.recordings.length), String(scan.skipped.length), scan.error ?? '']);
  }
  for (const scan of discovery.cablecast) {
    sites.push([scan.site, 'Cablecast', String(scan.recordings.length), String(scan.skipped.length), scan.error ?? '']);
  }
  const out = ['Sites', sites.toString()];

  const plan = terminalTable(['site', 'recording', 'date', 'show', 'action']);
  for (const { recording, status } of discovery.candidates) {
    plan.push([
      recording.site,
      truncate(recording.path, 70),
      recording.date ?? '-',
      String(recording.showId ?? recording.cablecastShowId ?? '-'),
      NEXT[status] ?? status,
    ]);
  }
  out.push('', 'Recordings', discovery.candidates.length === 0 ? '  (none)' : plan.toString());
  if (discovery.deferred > 0) out.push(`${discovery.deferred} more left for a later run by --limit`);

  const skipped = discovery.shares.flatMap((s) =>
    s.skipped.filter((k) => k.reason !== 'captioned' && k.reason !== 'ours').map((k) => [truncate(k.path, 70), k.detail]),
  );
  // Shows of other sites' patterns, known ones and captioned ones are no news; the rest may need a look.
  const shows = discovery.cablecast.flatMap((s) =>
    s.skipped
      .filter((k) => SHOW_NEWS.has(k.kind))
      .map((k) => [truncate(`show ${k.showId}${k.title === null ? '' : ` ${k.title}`}`, 70), truncate(k.reason, 200)]),
  );
  if (skipped.length + shows.length > 0) {
    const table = terminalTable(['skipped', 'why']);
    for (const row of [...skipped, ...shows]) table.push(row);
    out.push('', 'Skipped for now', table.toString());
  }
  return out.join('\n');
}
