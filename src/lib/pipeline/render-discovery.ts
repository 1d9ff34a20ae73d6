import type { VodSkipKind } from '../sources/cablecast-source.js';
import { fitTable } from '../status/fit-table.js';
import type { LineWidth } from '../text/line-width.js';
import { terminalSafe } from '../text/terminal-safe.js';
import type { Discovery } from './discover.js';

const SHOW_NEWS = new Set<VodSkipKind>(['not-ready', 'unknown', 'captioned-elsewhere']);

const NEXT: Record<string, string> = { new: 'queue for captions', changed: 'changed since last seen: redo', known: 'known: nothing new' };

/** Lines a skipped show's reason may take in the table on a terminal (`--json` has it whole). */
const REASON_LINES = 3;

/** The plan `--dry-run` prints: every site, then every recording and what would happen. */
export function renderDiscovery(discovery: Discovery, width: LineWidth): string {
  const sites = [
    ...discovery.shares.map((scan) => [scan.site, terminalSafe(scan.share), scan.recordings.length, scan.skipped.length, scan.error ?? '']),
    ...discovery.cablecast.map((scan) => [scan.site, 'Cablecast', scan.recordings.length, scan.skipped.length, scan.error ?? '']),
  ];
  const out = [
    'Sites',
    fitTable([{ head: 'site' }, { head: 'where', keep: 'end' }, { head: 'found' }, { head: 'skipped' }, { head: 'problem' }], sites, {
      width,
    }),
  ];

  // Paths are made safe on their own: a line feed in a name shows as ␊ rather than starting a line.
  const plan = discovery.candidates.map(({ recording, status }) => [
    recording.site,
    terminalSafe(recording.path),
    recording.date ?? '-',
    String(recording.showId ?? recording.cablecastShowId ?? '-'),
    NEXT[status] ?? status,
  ]);
  out.push(
    '',
    'Recordings',
    plan.length === 0
      ? '  (none)'
      : fitTable([{ head: 'site' }, { head: 'recording', keep: 'end' }, { head: 'date' }, { head: 'show' }, { head: 'action' }], plan, {
          width,
        }),
  );
  if (discovery.deferred > 0) out.push(`${discovery.deferred} more left for a later run by --limit`);

  const skipped = discovery.shares.flatMap((s) =>
    s.skipped.filter((k) => k.reason !== 'captioned' && k.reason !== 'ours').map((k) => [terminalSafe(k.path), k.detail]),
  );
  // Shows of other sites' patterns, known ones and captioned ones are no news; the rest may need a look.
  const shows = discovery.cablecast.flatMap((s) =>
    s.skipped
      .filter((k) => SHOW_NEWS.has(k.kind))
      .map((k) => [terminalSafe(`show ${k.showId}${k.title === null ? '' : ` ${k.title}`}`), k.reason]),
  );
  if (skipped.length + shows.length > 0) {
    out.push(
      '',
      'Skipped for now',
      fitTable(
        [
          { head: 'skipped', keep: 'end' },
          { head: 'why', maxLines: REASON_LINES },
        ],
        [...skipped, ...shows],
        { width },
      ),
    );
  }
  return out.join('\n');
}
