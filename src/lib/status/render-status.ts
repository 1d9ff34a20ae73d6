import { JOB_STATES } from '../db/schema.js';
import { terminalSafe } from '../text/terminal-safe.js';
import type { StatusReport } from './collect-status.js';
import { formatAge, formatTime, truncate, truncateStart } from './format.js';
import { terminalTable } from './table.js';

export interface TimerLine {
  timer: string;
  command: string;
  lastRun: { startedAt: Date; outcome: string } | null;
  nextElapse: Date | null;
}

export function renderStatus(report: StatusReport, timers: TimerLine[], now: Date = new Date()): string {
  const out: string[] = [];
  out.push(
    terminalSafe(
      `Database: ${report.database.kind} (${report.database.location}); media: ${report.media.total} (${report.media.missing} missing)`,
    ),
  );

  const jobs = terminalTable(['kind', ...JOB_STATES]);
  for (const [kind, states] of Object.entries(report.jobs)) jobs.push([kind, ...JOB_STATES.map((s) => String(states[s]))]);
  out.push('', 'Jobs', jobs.toString());

  out.push('', 'Running');
  if (report.running.length === 0) out.push('  (none)');
  else {
    const running = terminalTable(['job', 'kind', 'file', 'age', 'heartbeat', 'worker']);
    for (const r of report.running) {
      running.push([
        String(r.id),
        r.kind,
        truncate(r.path, 48),
        r.startedAt ? formatAge(r.startedAt, now) : '-',
        r.heartbeatAt ? `${formatAge(r.heartbeatAt, now)} ago` : '-',
        r.worker ?? '-',
      ]);
    }
    out.push(running.toString());
  }

  out.push('', 'Recent failures');
  if (report.failures.length === 0) out.push('  (none)');
  else {
    const failures = terminalTable(['job', 'kind', 'state', 'attempts', 'file', 'error', 'retry at']);
    for (const f of report.failures) {
      failures.push([
        String(f.id),
        f.kind,
        f.state,
        `${f.attempts}/${f.maxAttempts}`,
        truncate(f.path, 36),
        truncate(f.error ?? '', 60),
        formatTime(f.retryAt),
      ]);
    }
    out.push(failures.toString());
  }

  out.push('', 'Last runs');
  const runs = terminalTable(['command', 'started', 'finished', 'outcome', 'exit', 'host']);
  for (const r of report.lastRuns) {
    runs.push([
      r.command,
      formatTime(r.startedAt),
      formatTime(r.finishedAt),
      r.outcome,
      r.exitCode === null ? '-' : String(r.exitCode),
      r.host,
    ]);
  }
  out.push(report.lastRuns.length === 0 ? '  (none yet)' : runs.toString());

  if (timers.length > 0) {
    out.push('', 'Timers');
    const t = terminalTable(['timer', 'command', 'last run', 'outcome', 'next']);
    for (const line of timers) {
      t.push([
        line.timer,
        line.command,
        formatTime(line.lastRun?.startedAt ?? null),
        line.lastRun?.outcome ?? '-',
        line.nextElapse ? formatTime(line.nextElapse) : 'unknown (systemctl did not answer)',
      ]);
    }
    out.push(t.toString());
  }

  out.push(...renderCaptions(report.captions, now));

  out.push(
    '',
    terminalSafe(
      `Links: ${Object.entries(report.links)
        .map(([state, n]) => `${state} ${n}`)
        .join(', ')}`,
    ),
  );
  return out.join('\n');
}

function renderCaptions(captions: StatusReport['captions'], now: Date): string[] {
  const out: string[] = ['', 'Captions'];
  if (captions.recent.length === 0) out.push('  (none yet)');
  else {
    const table = terminalTable(['file', 'age', 'words/min', 'under 1.5 s', 'low-prob words', 'dropped', 'SCC left out']);
    for (const { path, at, quality } of captions.recent) {
      const dropped = quality ? Object.values(quality.droppedSegments).reduce((sum, n) => sum + n, 0) : undefined;
      table.push([
        truncateStart(path, 40),
        formatAge(at, now),
        quality ? String(quality.wordsPerMinute) : '-',
        quality ? `${quality.captionsUnder1_5s}/${quality.captions}` : '-',
        quality?.lowProbabilityShare == null ? '-' : `${(quality.lowProbabilityShare * 100).toFixed(1)}%`,
        dropped === undefined ? '-' : String(dropped),
        quality ? String(quality.sccUncarried) : '-',
      ]);
    }
    out.push(table.toString());
  }
  out.push(
    terminalSafe(
      `No speech: ${captions.noSpeech.total} recording${captions.noSpeech.total === 1 ? '' : 's'} (no captions written, not retried)`,
    ),
  );
  for (const r of captions.noSpeech.recent) out.push(`  ${truncateStart(r.path, 70)}  ${formatAge(r.at, now)} ago`);
  out.push(
    terminalSafe(
      `Edited by hand: ${captions.edited.total} recording${captions.edited.total === 1 ? '' : 's'} (captions kept; --discard-edits replaces them)`,
    ),
  );
  for (const r of captions.edited.recent) {
    out.push(terminalSafe(`  media ${r.mediaId}  ${truncateStart(r.path, 60)}  from ${r.from}, ${formatAge(r.at, now)} ago`));
  }
  return out;
}
