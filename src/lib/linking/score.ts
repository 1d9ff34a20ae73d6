import { titleSimilarity } from './similarity.js';

/** What a recording tells about its show. */
export interface RecordingFacts {
  title: string;
  /** YYYY-MM-DD: the date in the file name, else the file's modification date. */
  date: string | null;
  durationSec: number | null;
}

/** What a show offers to compare against. */
export interface ShowFacts {
  id: number;
  title: string;
  cgTitle: string | null;
  /** YYYY-MM-DD of eventDate. */
  date: string | null;
  /** Sum of reel lengths; null when the show has no reel lengths. */
  runningTimeSec: number | null;
}

export interface CandidateScore {
  showId: number;
  score: number;
  title: number;
  /** Null when either side has no date or running time: that evidence is left out, not counted as 0. */
  date: number | null;
  runtime: number | null;
}

/** Title carries the most: dates repeat weekly and running times are similar for all meetings. */
const WEIGHTS = { title: 0.6, date: 0.25, runtime: 0.15 } as const;

const DAY_MS = 86_400_000;

/** The YYYY-MM-DD at the start of an ISO date or date-time, as written (no time-zone shift). */
export function isoDay(value: string | null | undefined): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value ?? '');
  if (!match?.[1]) return null;
  return Number.isNaN(Date.parse(`${match[1]}T00:00:00Z`)) ? null : match[1];
}

export function dayDistance(a: string, b: string): number {
  return Math.round(Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY_MS);
}

/** 1 on the same day, falling to 0 just beyond the window. */
export function dateScore(distanceDays: number, windowDays: number): number {
  return Math.max(0, 1 - distanceDays / (windowDays + 1));
}

/** 1 within 5% of each other (pre-roll, trimmed ends), 0 at half or double the length. */
export function runtimeScore(recordingSec: number, showSec: number): number {
  if (recordingSec <= 0 || showSec <= 0) return 0;
  const ratio = Math.min(recordingSec, showSec) / Math.max(recordingSec, showSec);
  return ratio >= 0.95 ? 1 : Math.max(0, (ratio - 0.5) / 0.45);
}

export function showTitleSimilarity(recordingTitle: string, show: Pick<ShowFacts, 'title' | 'cgTitle'>): number {
  const byTitle = titleSimilarity(recordingTitle, show.title);
  return show.cgTitle ? Math.max(byTitle, titleSimilarity(recordingTitle, show.cgTitle)) : byTitle;
}

export function scoreCandidate(recording: RecordingFacts, show: ShowFacts, windowDays: number): CandidateScore {
  const title = showTitleSimilarity(recording.title, show);
  const date = recording.date && show.date ? dateScore(dayDistance(recording.date, show.date), windowDays) : null;
  const runtime = recording.durationSec && show.runningTimeSec ? runtimeScore(recording.durationSec, show.runningTimeSec) : null;
  let weighted = WEIGHTS.title * title;
  let total = WEIGHTS.title;
  if (date !== null) {
    weighted += WEIGHTS.date * date;
    total += WEIGHTS.date;
  }
  if (runtime !== null) {
    weighted += WEIGHTS.runtime * runtime;
    total += WEIGHTS.runtime;
  }
  return {
    showId: show.id,
    score: round(weighted / total),
    title: round(title),
    date: date === null ? null : round(date),
    runtime: runtime === null ? null : round(runtime),
  };
}

/** Within the window (or undated on either side, which the date score then leaves out). */
export function withinWindow(recordingDate: string | null, showDate: string | null, windowDays: number): boolean {
  return recordingDate === null || showDate === null || dayDistance(recordingDate, showDate) <= windowDays;
}

export function rankCandidates(recording: RecordingFacts, shows: readonly ShowFacts[], windowDays: number): CandidateScore[] {
  return shows
    .filter((show) => show.date !== null && withinWindow(recording.date, show.date, windowDays))
    .map((show) => scoreCandidate(recording, show, windowDays))
    .sort((a, b) => b.score - a.score || a.showId - b.showId);
}

/**
 * The best candidate, when it clears the threshold and is clearly ahead of the next: two shows
 * that fit about equally (a meeting split in two, a rebroadcast) are for a person to pick.
 */
export const AMBIGUITY_MARGIN = 0.05;

export type CandidatePick =
  | { kind: 'match'; best: CandidateScore }
  | { kind: 'below-threshold' }
  | { kind: 'ambiguous'; best: CandidateScore; runnerUp: CandidateScore }
  | { kind: 'none' };

export function pickCandidate(ranked: readonly CandidateScore[], threshold: number): CandidatePick {
  const [best, runnerUp] = ranked;
  if (!best) return { kind: 'none' };
  if (best.score < threshold) return { kind: 'below-threshold' };
  // Scores are in thousandths; compared as floats, 0.85 - 0.8 fell under the margin and 0.8 - 0.75 did not.
  if (runnerUp && round(best.score - runnerUp.score) < AMBIGUITY_MARGIN) return { kind: 'ambiguous', best, runnerUp };
  return { kind: 'match', best };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
