import type { LinkingSettings } from '../config/schema.js';

/** Waits between unmatched attempts double from retryHours, up to a week. */
const MAX_RETRY_HOURS = 7 * 24;

export function retryDelayHours(attempts: number, retryHours: number): number {
  return Math.min(MAX_RETRY_HOURS, retryHours * 2 ** Math.max(0, attempts - 1));
}

export type UnmatchedOutcome = { state: 'pending'; nextAttemptAt: Date } | { state: 'needs_review' };

/**
 * After an attempt that found no show: try again later, or after maxAttempts hand it to a
 * person (needs_review is not retried until someone links it by hand).
 */
export function afterUnmatched(
  attempts: number,
  settings: Pick<LinkingSettings, 'maxAttempts' | 'retryHours'>,
  now: Date,
): UnmatchedOutcome {
  if (attempts >= settings.maxAttempts) return { state: 'needs_review' };
  return { state: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelayHours(attempts, settings.retryHours) * 3_600_000) };
}
