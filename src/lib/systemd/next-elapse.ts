import { execFile } from 'node:child_process';
import { z } from 'zod';

export interface NextElapseOptions {
  /** The systemctl executable; tests point this at a stand-in. */
  systemctl?: string;
  /** systemctl waits on D-Bus; a manager that does not answer within this is treated as absent. */
  timeoutMs?: number;
}

/**
 * `--timestamp=unix` prints `@<seconds>`; a timer that is not loaded or has nothing scheduled
 * prints nothing ("n/a" or "infinity" from some versions).
 */
const nextElapseOutput = z.union([
  z.enum(['', 'n/a', 'infinity']).transform(() => null),
  z
    .string()
    .regex(/^@\d+$/)
    .transform((s) => new Date(Number(s.slice(1)) * 1000)),
]);

/**
 * When systemd next starts `timer`, or null where no service manager answers (no systemctl,
 * not booted with systemd, as in containers) or the timer has no next elapse.
 */
export async function timerNextElapse(timer: string, options: NextElapseOptions = {}): Promise<Date | null> {
  // node's execFile, not execa: `status` runs this, and execa's hundred modules cost more start-up than the call.
  const stdout = await new Promise<string | null>((resolve) => {
    const child = execFile(
      options.systemctl ?? 'systemctl',
      ['show', timer, '-p', 'NextElapseUSecRealtime', '--value', '--timestamp=unix'],
      { timeout: options.timeoutMs ?? 5000, killSignal: 'SIGKILL' },
      (error, out) => {
        resolve(error ? null : out);
      },
    );
    child.stdin?.end();
  });
  if (stdout === null) return null;
  const parsed = nextElapseOutput.safeParse(stdout.trim());
  if (!parsed.success) {
    throw new Error(`systemctl show ${timer}: unexpected NextElapseUSecRealtime value ${JSON.stringify(stdout)}`);
  }
  return parsed.data;
}
