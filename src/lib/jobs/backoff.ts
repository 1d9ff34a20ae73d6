import type { QueuePolicy } from './types.js';

/**
 * Seconds to wait before attempt `attempts + 1`: doubling from the base, capped, with up to
 * 20% jitter so that jobs that failed together (a Cablecast outage) do not retry together.
 */
export function backoffSeconds(
  attempts: number,
  policy: Pick<QueuePolicy, 'backoffBaseSeconds' | 'backoffMaxSeconds'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempts - 1);
  const raw = Math.min(policy.backoffMaxSeconds, policy.backoffBaseSeconds * 2 ** Math.min(exponent, 30));
  return raw * (1 - 0.2 * random());
}
