import { terminalSafe } from '../text/terminal-safe.js';
import { stamp } from '../transcript/stamp.js';
import type { SearchHit } from './search-transcripts.js';

/** Hits for the terminal: one block each, the recording, the time of the match, its sentence, the show's VOD. */
export function renderHits(hits: readonly SearchHit[]): string {
  if (hits.length === 0) return 'no hits';
  const blocks = hits.map((hit) => {
    const heading = [hit.title ?? hit.path, hit.date ? `(${hit.date})` : '', `[${stamp(hit.start)}–${stamp(hit.end)}]`, hit.site]
      .filter((part) => part !== '')
      .join(' ');
    const lines = [heading, `  media ${hit.mediaId}: ${hit.path}`, `  ${hit.text}`];
    if (hit.showId !== undefined) lines.push(`  show ${hit.showId}${hit.vodUrl ? `: ${hit.vodUrl}` : ''}`);
    return lines.map((line) => terminalSafe(line)).join('\n');
  });
  return `${blocks.join('\n\n')}\n\n${hits.length} hit${hits.length === 1 ? '' : 's'}`;
}
