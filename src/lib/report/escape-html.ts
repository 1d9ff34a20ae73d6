import { terminalSafe } from '../text/terminal-safe.js';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text from outside (titles, paths, error messages) made inert in HTML, as element text or
 * as a quoted attribute value: the five characters HTML gives meaning become entities, and
 * controls and bidirectional overrides (which could reorder what a clerk reads) become the
 * same visible stand-ins the terminal shows.
 */
export function escapeHtml(text: string): string {
  return terminalSafe(text).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}
