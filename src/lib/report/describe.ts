import type { ReportFile, ReportRecording } from './model.js';

/** Words for the report's figures and states, shared by the text and HTML pages. */

export const OUTCOME_LABELS: Readonly<Record<ReportRecording['outcome'], string>> = {
  failed: 'failed',
  retrying: 'failed, will retry',
  'needs-review': 'needs review',
  running: 'running',
  waiting: 'waiting',
  cancelled: 'cancelled',
  'no-speech': 'no speech',
  captioned: 'captioned',
};

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'length unknown';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : m > 0 ? `${m} min ${String(s).padStart(2, '0')} s` : `${s} s`;
}

export function describeFile(file: ReportFile): string {
  const where = { sidecar: 'sidecar beside the video', caption: 'caption file', rendition: 'rendition', transcript: 'transcript' }[
    file.kind
  ];
  return file.leftAlone === null ? `${where}: ${file.path}` : `${file.path} (not written: ${file.leftAlone})`;
}

/** What happened, in one sentence: the step and the whole reason. */
export function describeOutcome(r: ReportRecording): string {
  const job = r.jobId === null ? '' : ` (job ${r.jobId})`;
  switch (r.outcome) {
    case 'failed':
      return `${r.step ?? 'a step'} failed for good${job}: ${r.reason ?? ''}`;
    case 'retrying':
      return `${r.step ?? 'a step'} failed${job}, retried${r.retryAt ? ` after ${r.retryAt}` : ''}: ${r.reason ?? ''}`;
    case 'running':
      return `${r.step ?? 'a step'} is running${job}`;
    case 'waiting':
      return `${r.step ?? 'the next step'} waits${job}: ${r.reason ?? ''}`;
    case 'captioned':
      return r.pending.length > 0 ? `captioned; still to do: ${r.pending.join(', ')}` : 'captioned';
    default:
      return `${OUTCOME_LABELS[r.outcome]}${job}: ${r.reason ?? ''}`;
  }
}

export function describeCablecast(r: ReportRecording): string | null {
  const { link, upload, showId } = r.cablecast;
  const parts: string[] = [];
  if (link) {
    parts.push(
      `${showId === null ? 'no show' : `show ${showId}`}, ${link.state.replace('_', ' ')}${link.method ? ` (${link.method})` : ''}`,
    );
    if (link.writeback) parts.push(`write-back ${link.writeback.state}${link.writeback.reason ? `: ${link.writeback.reason}` : ''}`);
  } else if (showId !== null) parts.push(`show ${showId}, not linked yet`);
  if (upload) parts.push(`upload of ${upload.fileName} to store ${upload.store} ${upload.finished ? 'finished' : 'in progress'}`);
  return parts.length > 0 ? parts.join('; ') : null;
}

export function describeEngine(r: ReportRecording): string | null {
  const t = r.transcript;
  if (!t) return null;
  const silence = t.skippedSilence;
  return [
    `${t.engine}, model ${t.model}`,
    t.language,
    t.seconds === null ? null : formatDuration(t.seconds),
    silence
      ? `skipped ${formatDuration(silence.seconds)} of silence (${silence.stretches} stretch${silence.stretches === 1 ? '' : 'es'})`
      : null,
  ]
    .filter((part) => part !== null && part !== '')
    .join(', ');
}

export function describeQuality(r: ReportRecording): string | null {
  const q = r.quality;
  if (!q) return null;
  const dropped = Object.values(q.droppedSegments).reduce((sum, n) => sum + n, 0);
  return [
    `${q.captions} captions, ${q.words} words, ${q.wordsPerMinute} words/min`,
    `${q.captionsUnder1_5s} under 1.5 s`,
    `${q.captionsOver200Wpm} over 200 words/min`,
    q.lowProbabilityShare === null ? null : `${(q.lowProbabilityShare * 100).toFixed(1)}% low-probability words`,
    `${dropped} segments dropped`,
    q.sccUncarried > 0 ? `${q.sccUncarried} characters SCC cannot carry` : null,
  ]
    .filter((part): part is string => part !== null)
    .join(', ');
}
