import { execa } from 'execa';
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
  const result = await execa(
    options.systemctl ?? 'systemctl',
    ['show', timer, '-p', 'NextElapseUSecRealtime', '--value', '--timestamp=unix'],
    { reject: false, timeout: options.timeoutMs ?? 5000, stdin: 'ignore' },
  );
  if (result.failed) return null;
  const parsed = nextElapseOutput.safeParse(result.stdout.trim());
  if (!parsed.success) {
    throw new Error(`systemctl show ${timer}: unexpected NextElapseUSecRealtime value ${JSON.stringify(result.stdout)}`);
  }
  return parsed.data;
}
