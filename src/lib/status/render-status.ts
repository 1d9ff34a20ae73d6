import { JOB_STATES } from '../db/schema.js';
import { paintState } from '../text/colour.js';
import { inset, type LineWidth } from '../text/line-width.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { wrapWords } from '../text/wrap-words.js';
import { fitTable } from './fit-table.js';
import { formatAge, formatTime } from './format.js';
import type { StatusReport, TimerLine } from './status-model.js';

export type { TimerLine } from './status-model.js';

export interface RenderOptions {
  now?: Date;
  /** The width to fit (the terminal's, or 100 off a terminal). */
  width: LineWidth;
  /** Colour job and link states. */
  colour?: boolean;
}

/** Lines a failure's reason may take before it is cut and points at `jobs show`. */
const REASON_LINES = 3;

/** `status` for a person: every table fits the width, cells wrap between words, states coloured. */
export function renderStatus(report: StatusReport, timers: readonly TimerLine[], options: RenderOptions): string {
  const now = options.now ?? new Date();
  const width = options.width;
  const colour = options.colour === true;
  const fit = { width };
  const out: string[] = [];
  out.push(
    ...wrapWords(
      terminalSafe(
        `Database: ${report.database.kind} (${report.database.location}); media: ${report.media.total} (${report.media.missing} missing)`,
      ),
      width,
    ),
  );

  const jobRows = Object.entries(report.jobs).map(([kind, states]) => [kind, ...JOB_STATES.map((s) => String(states[s]))]);
  out.push(
    '',
    'Jobs',
    fitTable([{ head: 'kind' }, ...JOB_STATES.map((s) => ({ head: s }))], jobRows, {
      width,
      // A state's column is coloured where it has jobs in it.
      paint: (cell, column) => (column > 0 && cell !== '0' ? paintState(cell, JOB_STATES[column - 1] ?? '', colour) : cell),
    }),
  );

  out.push('', 'Running');
  if (report.running.length === 0) out.push('  (none)');
  else {
    out.push(
      fitTable(
        [{ head: 'job' }, { head: 'kind' }, { head: 'file', keep: 'end' }, { head: 'age' }, { head: 'heartbeat' }, { head: 'worker' }],
        report.running.map((r) => [
          String(r.id),
          r.kind,
          r.path,
          r.startedAt ? formatAge(r.startedAt, now) : '-',
          r.heartbeatAt ? `${formatAge(r.heartbeatAt, now)} ago` : '-',
          r.worker ?? '-',
        ]),
        fit,
      ),
    );
  }

  out.push('', 'Recent failures');
  if (report.failures.length === 0) out.push('  (none)');
  else {
    const failures = report.failures;
    out.push(
      fitTable(
        [
          { head: 'job' },
          { head: 'step' },
          { head: 'file', keep: 'end', maxLines: 3 },
          { head: 'error', maxLines: REASON_LINES, more: (row) => `jobs show ${failures[row]?.id ?? ''}`, min: 24 },
        ],
        failures.map((f) => [
          String(f.id),
          `${f.kind} ${f.state} ${f.attempts}/${f.maxAttempts}`,
          f.path,
          `${f.retryAt ? `retry at ${formatTime(f.retryAt)}: ` : ''}${f.error ?? ''}`,
        ]),
        { width, paint: (cell, column) => (column === 1 ? paintStates(cell, colour) : cell) },
      ),
    );
  }

  if (timers.length > 0) {
    out.push(
      '',
      'Timers',
      fitTable(
        [{ head: 'timer' }, { head: 'command' }, { head: 'last run' }, { head: 'outcome' }, { head: 'next' }],
        timers.map((line) => [
          line.timer,
          line.command,
          formatTime(line.lastRun?.startedAt ?? null),
          line.lastRun?.outcome ?? '-',
          line.nextElapse ? formatTime(line.nextElapse) : 'unknown (systemctl did not answer)',
        ]),
        fit,
      ),
    );
  }

  out.push(...renderCaptions(report.captions, now, width));

  out.push(
    '',
    ...wrapWords(
      terminalSafe(
        `Links: ${Object.entries(report.links)
          .map(([state, n]) => `${state} ${n}`)
          .join(', ')}`,
      ),
      width,
    ),
  );
  return out.join('\n');
}

/** The job states among a cell's words, coloured. */
function paintStates(cell: string, colour: boolean): string {
  return cell
    .split('\n')
    .map((line) =>
      line
        .split(' ')
        .map((word) => (JOB_STATES.some((state) => state === word) ? paintState(word, word, colour) : word))
        .join(' '),
    )
    .join('\n');
}

function renderCaptions(captions: StatusReport['captions'], now: Date, width: LineWidth): string[] {
  const out: string[] = ['', 'Captioned in the last 24 h'];
  if (captions.lastDay.length === 0) out.push('  (none)');
  else {
    out.push(
      fitTable(
        [{ head: 'recording' }, { head: 'captioned' }, { head: 'caption files', keep: 'end' }],
        captions.lastDay.map((r) => [r.title, `${formatAge(r.at, now)} ago`, r.files.length === 0 ? '-' : r.files.join('\n')]),
        { width },
      ),
    );
    if (captions.lastDayLeftOut > 0)
      out.push(
        ...wrapWords(
          `… ${captions.lastDayLeftOut} more captioned in the last 24 h not listed here; \`archivist report\` lists them all`,
          inset(width, 2),
        ).map((l) => `  ${l}`),
      );
  }
  out.push('', 'Caption quality (latest)');
  if (captions.recent.length === 0) out.push('  (none yet)');
  else {
    out.push(
      fitTable(
        [
          { head: 'file', keep: 'end' },
          { head: 'age' },
          { head: 'words/min' },
          { head: 'under 1.5 s' },
          { head: 'low-prob words' },
          { head: 'dropped' },
          { head: 'SCC left out' },
        ],
        captions.recent.map(({ path, at, quality }) => {
          const dropped = quality ? Object.values(quality.droppedSegments).reduce((sum, n) => sum + n, 0) : undefined;
          return [
            path,
            formatAge(at, now),
            quality ? String(quality.wordsPerMinute) : '-',
            quality ? `${quality.captionsUnder1_5s}/${quality.captions}` : '-',
            quality?.lowProbabilityShare == null ? '-' : `${(quality.lowProbabilityShare * 100).toFixed(1)}%`,
            dropped === undefined ? '-' : String(dropped),
            quality ? String(quality.sccUncarried) : '-',
          ];
        }),
        { width },
      ),
    );
  }
  out.push(
    ...wrapWords(
      terminalSafe(
        `No speech: ${captions.noSpeech.total} recording${captions.noSpeech.total === 1 ? '' : 's'} (no captions written, not retried)`,
      ),
      width,
    ),
  );
  for (const r of captions.noSpeech.recent)
    out.push(...wrapWords(terminalSafe(`${r.path}  ${formatAge(r.at, now)} ago`), inset(width, 2), { keep: 'end' }).map((l) => `  ${l}`));
  out.push(
    terminalSafe(
      `Edited by hand: ${captions.edited.total} recording${captions.edited.total === 1 ? '' : 's'} (captions kept; --discard-edits replaces them)`,
    ),
  );
  for (const r of captions.edited.recent)
    out.push(
      ...wrapWords(terminalSafe(`media ${r.mediaId}  ${r.path}  from ${r.from}, ${formatAge(r.at, now)} ago`), inset(width, 2), {
        keep: 'end',
      }).map((l) => `  ${l}`),
    );
  return out;
}
