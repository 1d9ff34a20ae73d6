import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` until it holds, failing with `what` after `timeoutMs`: for waiting on another
 * process (a signal's effect) without a fixed sleep that is either too short or wasted.
 */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(20);
  }
}
