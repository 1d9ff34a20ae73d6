import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timerNextElapse } from '../../src/lib/systemd/next-elapse.js';
import { tempDir, writeExecutable } from './helpers.js';

/**
 * Stands in for systemctl talking to a running manager: answers only the exact query a real
 * systemctl answers with `@<seconds>` (or an empty line for a timer with nothing scheduled).
 */
function standIn(answers: Record<string, string>): string {
  const cases = Object.entries(answers)
    .map(([timer, value]) => `  "show ${timer} -p NextElapseUSecRealtime --value --timestamp=unix") printf '%s\\n' '${value}' ;;`)
    .join('\n');
  return `#!/bin/sh\ncase "$*" in\n${cases}\n  *) echo "Unknown command verb $1." >&2; exit 1 ;;\nesac\n`;
}

describe('timerNextElapse', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let systemctl: string;
  beforeEach(async () => {
    dir = await tempDir();
    systemctl = join(dir.path, 'systemctl');
    await writeExecutable(
      systemctl,
      standIn({ 'archivist-link-queue.timer': '@1772893500', 'archivist-cleanup-orphaned.timer': '', 'odd.timer': 'Sat 2026-03-07 14:25:00 CST' }),
    );
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('reads the next elapse systemd reports', async () => {
    expect(await timerNextElapse('archivist-link-queue.timer', { systemctl })).toEqual(new Date('2026-03-07T14:25:00Z'));
  });

  it('is null for a timer with nothing scheduled', async () => {
    expect(await timerNextElapse('archivist-cleanup-orphaned.timer', { systemctl })).toBeNull();
  });

  it('is null when systemctl fails, is missing, or no manager runs (this container)', async () => {
    expect(await timerNextElapse('missing.timer', { systemctl })).toBeNull();
    expect(await timerNextElapse('archivist-link-queue.timer', { systemctl: join(dir.path, 'no-such-systemctl') })).toBeNull();
    expect(await timerNextElapse('archivist-link-queue.timer')).toBeNull();
  });

  it('is null when systemctl does not answer in time', async () => {
    const slow = join(dir.path, 'slow-systemctl');
    await writeExecutable(slow, '#!/bin/sh\nexec sleep 30\n');
    expect(await timerNextElapse('archivist-link-queue.timer', { systemctl: slow, timeoutMs: 200 })).toBeNull();
  });

  it('says so when systemctl answers in a form it does not know', async () => {
    await expect(timerNextElapse('odd.timer', { systemctl })).rejects.toThrow(/unexpected NextElapseUSecRealtime value/);
  });
});
