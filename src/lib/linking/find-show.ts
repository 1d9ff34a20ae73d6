import type { LinkingSettings } from '../config/schema.js';
import type { CablecastClient } from '../cablecast/index.js';
import { pickCandidate, rankCandidates, scoreCandidate, dayDistance, type RecordingFacts } from './score.js';
import type { ShowCatalog } from './show-catalog.js';
import { showFacts } from './show-catalog.js';

export type LinkMethod = 'file-show-id' | 'cablecast-source' | 'fuzzy' | 'manual';

export interface Suggestion {
  showId: number;
  title: string;
  eventDate: string | null;
  score: number;
}

export type LinkDecision =
  | { matched: true; showId: number; title: string; method: Exclude<LinkMethod, 'manual'>; score: number; notes: string[] }
  | { matched: false; suggestions: Suggestion[]; reason: string; notes: string[] };

export interface ShowEvidence {
  recording: RecordingFacts;
  /** The show id at the start of a Flex file name. */
  fileShowId: number | null;
  /** The show a Cablecast-sourced media item was discovered from. */
  cablecastShowId: number | null;
  /** The site's Cablecast location, when configured. */
  location: number | undefined;
}

export const MAX_SUGGESTIONS = 5;

/**
 * A file name's show id is trusted only when the show it names fits: Flex names files after
 * the show title, so a title that shares less than half its words points at a different show
 * (a reused number, a file copied between stations).
 */
export const FILE_ID_MIN_TITLE = 0.5;

/** Strongest evidence first: the file name's show id, the Cablecast source, then a scored search. */
export async function findShow(
  evidence: ShowEvidence,
  client: CablecastClient,
  catalog: ShowCatalog,
  settings: Pick<LinkingSettings, 'threshold' | 'dateWindowDays'>,
): Promise<LinkDecision> {
  const notes: string[] = [];
  const { recording } = evidence;

  if (evidence.fileShowId !== null) {
    const detail = await client.getShow(evidence.fileShowId);
    if (detail === null) {
      notes.push(`the file name names show ${evidence.fileShowId}, which Cablecast does not have`);
    } else {
      const facts = showFacts(detail);
      const scored = scoreCandidate(recording, facts, settings.dateWindowDays);
      const dateFits = recording.date === null || facts.date === null || dayDistance(recording.date, facts.date) <= settings.dateWindowDays;
      if (scored.title >= FILE_ID_MIN_TITLE && dateFits) {
        return { matched: true, showId: facts.id, title: facts.title, method: 'file-show-id', score: scored.score, notes };
      }
      notes.push(
        `the file name names show ${facts.id} ("${facts.title}", ${facts.date ?? 'undated'}), which does not fit ` +
          `(title ${scored.title}${dateFits ? '' : `, date outside ±${settings.dateWindowDays} days`})`,
      );
    }
  }

  if (evidence.cablecastShowId !== null) {
    const detail = await client.getShow(evidence.cablecastShowId);
    if (detail !== null)
      return { matched: true, showId: detail.show.id, title: detail.show.title, method: 'cablecast-source', score: 1, notes };
    notes.push(`the recording came from show ${evidence.cablecastShowId}, which Cablecast no longer has`);
  }

  const shows = await catalog.showsAt(client, evidence.location);
  const ranked = rankCandidates(recording, shows, settings.dateWindowDays);
  const byId = new Map(shows.map((show) => [show.id, show]));
  const suggestions = ranked.slice(0, MAX_SUGGESTIONS).map((c): Suggestion => {
    const show = byId.get(c.showId);
    return { showId: c.showId, title: show?.title ?? '', eventDate: show?.date ?? null, score: c.score };
  });
  const pick = pickCandidate(ranked, settings.threshold);
  switch (pick.kind) {
    case 'match':
      return {
        matched: true,
        showId: pick.best.showId,
        title: byId.get(pick.best.showId)?.title ?? '',
        method: 'fuzzy',
        score: pick.best.score,
        notes,
      };
    case 'ambiguous':
      return {
        matched: false,
        suggestions,
        reason: `shows ${pick.best.showId} and ${pick.runnerUp.showId} fit about equally well (${pick.best.score} and ${pick.runnerUp.score})`,
        notes,
      };
    case 'below-threshold':
      return { matched: false, suggestions, reason: `no show scored ${settings.threshold} or more (best ${ranked[0]?.score ?? 0})`, notes };
    case 'none':
      return {
        matched: false,
        suggestions,
        reason:
          `no show of ${evidence.location === undefined ? 'any location' : `location ${evidence.location}`} ` +
          `is dated within ±${settings.dateWindowDays} days of ${recording.date ?? 'the recording'}`,
        notes,
      };
  }
}
