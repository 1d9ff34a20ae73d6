import {
  describeCablecast,
  describeEngine,
  describeFile,
  describeOutcome,
  describeQuality,
  formatDuration,
  OUTCOME_LABELS,
} from './describe.js';
import { escapeHtml } from './escape-html.js';
import { isFailure, type Report, type ReportRecording } from './model.js';
import { renderNightsChart } from './render-chart.js';

/*
 * One file with everything inline: it is mailed, copied to a web server or opened from disk,
 * so it may fetch nothing (the Content-Security-Policy says so to the browser too). Narrow
 * screens get one column; nothing needs a click to be read.
 */
const STYLE = `
:root { color-scheme: light dark; --fail: #b3261e; --warn: #8a5a00; --ok: #1b6e20; --muted: #666; --line: #ccc; }
* { box-sizing: border-box; }
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 12px; max-width: 960px; }
h1 { font-size: 1.35rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 24px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 4px; overflow-wrap: anywhere; }
.summary { margin: 4px 0; }
.summary b { white-space: nowrap; }
.recording { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 6px; padding: 10px 12px; margin: 10px 0; }
.recording.bad { border-left-color: var(--fail); }
.recording.warn { border-left-color: var(--warn); }
.recording.good { border-left-color: var(--ok); }
.badge { display: inline-block; font-size: .8rem; font-weight: 600; text-transform: uppercase; padding: 1px 6px; border-radius: 4px;
  color: #fff; background: var(--muted); margin-right: 6px; vertical-align: middle; }
.bad .badge { background: var(--fail); } .warn .badge { background: var(--warn); } .good .badge { background: var(--ok); }
.meta { color: var(--muted); margin: 0 0 6px; }
.reason { font-weight: 600; margin: 6px 0; overflow-wrap: anywhere; white-space: pre-wrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 0; }
dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
ul { margin: 0; padding-left: 1.1em; } code { font-size: .9em; overflow-wrap: anywhere; }
.chart { width: 100%; height: auto; max-height: 260px; }
.chart .hours { fill: #2f6fb3; } .chart .failed { fill: var(--fail); } .chart .axis { stroke: var(--muted); }
.chart text { font-size: 11px; fill: currentColor; } .chart text.failed { fill: var(--fail); }
.legend span { margin-right: 12px; white-space: nowrap; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
@media (max-width: 560px) { body { padding: 8px; font-size: 15px; } dl { grid-template-columns: 1fr; } dt { margin-top: 4px; } }
`;

/** Marks a page as ours: only such a file is ever replaced by a new report. */
export const REPORT_GENERATOR = 'archivist report';

function tone(outcome: ReportRecording['outcome']): string {
  if (isFailure(outcome)) return 'bad';
  if (outcome === 'needs-review' || outcome === 'cancelled') return 'warn';
  if (outcome === 'captioned') return 'good';
  return 'plain';
}

function entry(label: string, html: string): string {
  return `<dt>${escapeHtml(label)}</dt><dd>${html}</dd>`;
}

function recordingHtml(r: ReportRecording): string {
  const rows = [
    entry('Recording', `<code>${escapeHtml(r.path)}</code>${r.missing ? ' (the file is missing)' : ''}`),
    entry(
      'Files',
      r.files.length === 0
        ? 'none written'
        : `<ul class="files">${r.files.map((f) => `<li><code>${escapeHtml(describeFile(f))}</code></li>`).join('')}</ul>`,
    ),
  ];
  const cablecast = describeCablecast(r);
  if (cablecast) rows.push(entry('Cablecast', escapeHtml(cablecast)));
  const engine = describeEngine(r);
  if (engine) rows.push(entry('Engine', escapeHtml(engine)));
  const quality = describeQuality(r);
  if (quality) rows.push(entry('Quality', escapeHtml(quality)));
  if (r.edited) rows.push(entry('Edited by hand', escapeHtml(`captions imported from ${r.edited.from}`)));
  const showReason = r.outcome !== 'captioned' || r.pending.length > 0;
  return [
    `<article class="recording ${tone(r.outcome)}" data-outcome="${escapeHtml(r.outcome)}" data-media-id="${r.mediaId}">`,
    `<h3><span class="badge">${escapeHtml(OUTCOME_LABELS[r.outcome])}</span><span class="title">${escapeHtml(r.title)}</span></h3>`,
    `<p class="meta">${escapeHtml(`${r.siteName} · ${r.date ?? 'no date'} · ${formatDuration(r.durationSec)} · media ${r.mediaId}`)}</p>`,
    showReason ? `<p class="reason">${escapeHtml(describeOutcome(r))}</p>` : '',
    `<dl>${rows.join('')}</dl>`,
    '</article>',
  ].join('\n');
}

/** The report as one self-contained web page: failures first, the 30-night chart, every detail in view. */
export function renderReportHtml(report: Report): string {
  const s = report.summary;
  const day = report.generatedAt.slice(0, 10);
  const skipped =
    report.skipped.length === 0
      ? ''
      : `<section id="skipped"><h2>Cablecast shows passed over that may need a look</h2><ul>${report.skipped
          .map((k) => `<li>${escapeHtml(`${k.site}: show ${k.showId} ${k.title ?? ''} (${k.kind}): ${k.reason}`)}</li>`)
          .join('')}</ul></section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${REPORT_GENERATOR}">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(`Archivist report ${day}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(`What happened since ${report.since.replace('T', ' ').slice(0, 16)} UTC${report.site === null ? '' : ` (site ${report.site})`}`)}</h1>
<p class="summary"><b>${s.captioned} captioned</b> (${s.hoursCaptioned} h) · <b>${s.failed} failed</b> · <b>${s.needsReview} to review</b> ·
<b>${s.noSpeech} no speech</b> · <b>${s.left} left to do</b></p>
<p class="meta">${escapeHtml(`Made by archivist report at ${report.generatedAt.replace('T', ' ').slice(0, 19)} UTC; ${s.recordings} recordings.`)}</p>
</header>
<main>
<section id="recordings"><h2>Recordings, failures first</h2>
${report.recordings.length === 0 ? '<p>Nothing happened in this period.</p>' : report.recordings.map(recordingHtml).join('\n')}
</section>
${skipped}
<section id="nights"><h2>Last ${report.nights.length} nights (UTC)</h2>
<p class="legend"><span><i style="background:#2f6fb3"></i>hours captioned</span><span><i style="background:#b3261e"></i>recordings failed</span></p>
${renderNightsChart(report.nights)}
</section>
</main>
</body>
</html>
`;
}
