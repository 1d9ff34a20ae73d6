import { inset, type LineWidth } from '../text/line-width.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { wrapWords } from '../text/wrap-words.js';
import { fitTable } from '../status/fit-table.js';
import {
  describeCablecast,
  describeEngine,
  describeFile,
  describeOutcome,
  describeQuality,
  formatDuration,
  OUTCOME_LABELS,
} from './describe.js';
import type { Report, ReportRecording } from './model.js';

export interface TextOptions {
  /** The width to fit (the terminal's, or 100 off a terminal). */
  width: LineWidth;
  /** Colours outcomes (a terminal that wants them). */
  paint?: (text: string, outcome: ReportRecording['outcome']) => string;
}

/** Nights the terminal page shows; the JSON and the web page have all 30. */
const TEXT_NIGHTS = 7;

/** `label: text`, wrapped between words under the label, every line indented. */
function field(label: string, text: string, width: LineWidth): string[] {
  const indent = '    ';
  return wrapWords(terminalSafe(`${label}: ${text}`), inset(width, indent.length, 20)).map((line) => `${indent}${line}`);
}

function recordingLines(r: ReportRecording, options: TextOptions): string[] {
  const label = OUTCOME_LABELS[r.outcome].toUpperCase();
  const head = terminalSafe(
    `${r.title} (${r.siteName}, ${r.date ?? 'no date'}, ${formatDuration(r.durationSec)})${r.missing ? ' [file missing]' : ''}`,
  );
  const [first = '', ...rest] = wrapWords(`${label} ${head}`, inset(options.width, 2));
  const painted = options.paint ? first.replace(label, options.paint(label, r.outcome)) : first;
  const lines = [`  ${painted}`, ...rest.map((line) => `  ${line}`)];
  if (r.outcome !== 'captioned' || r.pending.length > 0) lines.push(...field('what happened', describeOutcome(r), options.width));
  lines.push(...field('recording', r.path, options.width));
  if (r.files.length === 0) lines.push(...field('files', 'none written', options.width));
  for (const file of r.files) lines.push(...field('file', describeFile(file), options.width));
  const cablecast = describeCablecast(r);
  if (cablecast) lines.push(...field('Cablecast', cablecast, options.width));
  const engine = describeEngine(r);
  if (engine) lines.push(...field('engine', engine, options.width));
  const quality = describeQuality(r);
  if (quality) lines.push(...field('quality', quality, options.width));
  if (r.edited) lines.push(...field('edited by hand', `captions imported from ${r.edited.from}`, options.width));
  return lines;
}

/** The report for a terminal: the summary, every recording worst first, skipped shows, the last nights. */
export function renderReportText(report: Report, options: TextOptions): string {
  const s = report.summary;
  const out: string[] = [
    ...wrapWords(
      terminalSafe(
        `Since ${report.since}${report.site === null ? '' : ` on site ${report.site}`}: ${s.recordings} recording${s.recordings === 1 ? '' : 's'}; ` +
          `captioned ${s.captioned} (${s.hoursCaptioned} h), failed ${s.failed}, needs review ${s.needsReview}, no speech ${s.noSpeech}; ` +
          `left to do: ${s.left}`,
      ),
      options.width,
    ),
  ];
  out.push('', 'Recordings');
  if (report.recordings.length === 0) out.push('  (none)');
  for (const r of report.recordings) out.push(...recordingLines(r, options), '');
  if (report.skipped.length > 0) {
    out.push('Cablecast shows passed over that may need a look');
    for (const skip of report.skipped) {
      out.push(...field(`${skip.site} show ${skip.showId} ${skip.title ?? ''}`.trimEnd(), `${skip.kind}: ${skip.reason}`, options.width));
    }
    out.push('');
  }
  out.push('Nights (UTC)');
  out.push(
    fitTable(
      [{ head: 'night' }, { head: 'hours captioned' }, { head: 'captioned' }, { head: 'failed' }, { head: 'runs' }],
      report.nights.slice(-TEXT_NIGHTS).map((n) => [n.date, n.captionedHours.toFixed(2), n.captioned, n.failed, n.runs]),
      { width: options.width },
    ),
  );
  return out.join('\n');
}
