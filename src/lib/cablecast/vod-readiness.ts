import type { Vod } from './schemas.js';

/**
 * Whether a VOD can be fetched. Live servers say so with `vodState: "complete"` or
 * `isWatchable`; older ones with a last transaction of type 5 (published). `fileName` says
 * nothing: it is null on every live record seen.
 */
export type VodReadiness =
  | { state: 'ready'; by: 'vodState' | 'isWatchable' | 'lastTransaction' }
  | { state: 'processing'; reason: string }
  | { state: 'unknown'; reason: string };

const PUBLISHED_TRANSACTION = 5;

export function vodReadiness(vod: Vod): VodReadiness {
  if (vod.vodState === 'complete') return { state: 'ready', by: 'vodState' };
  if (vod.isWatchable === true) return { state: 'ready', by: 'isWatchable' };
  const last = vod.lastTransaction;
  if (typeof last === 'object' && last !== null && last.transactionType === PUBLISHED_TRANSACTION) {
    return { state: 'ready', by: 'lastTransaction' };
  }
  const said: string[] = [];
  if (typeof vod.vodState === 'string') said.push(`vodState "${vod.vodState}"`);
  if (typeof vod.isWatchable === 'boolean') said.push(`isWatchable ${vod.isWatchable}`);
  if (typeof vod.percentComplete === 'number') said.push(`${Math.round(vod.percentComplete * 100)}% complete`);
  if (typeof last === 'object' && last !== null) said.push(`last transaction of type ${last.transactionType}`);
  if (said.length > 0) return { state: 'processing', reason: `VOD ${vod.id} is not published yet (${said.join(', ')})` };
  return {
    state: 'unknown',
    reason:
      typeof last === 'number'
        ? `VOD ${vod.id} names its last transaction only by id (${last}) and has no vodState or isWatchable`
        : `VOD ${vod.id} has no vodState, isWatchable or last transaction`,
  };
}
