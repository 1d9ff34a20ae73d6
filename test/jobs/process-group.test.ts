import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { endGroup, groupRunning } from '../../src/lib/process/process-group.js';
import { until } from '../support/until.js';

/**
 * A python3 parent outside the group that forks a child leading a group of its own, and never
 * reaps it: the state a killed engine's helper is in until init gets round to reaping it.
 */
const ZOMBIE_GROUP = `
import os, sys, time
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    if sys.argv[1] == 'exit':
        os._exit(0)
    time.sleep(60)
    os._exit(0)
os.setpgid(pid, pid)
print(pid, flush=True)
time.sleep(60)
`;

const parents: ChildProcess[] = [];
afterEach(() => {
  for (const parent of parents.splice(0)) parent.kill('SIGKILL');
});

async function groupOf(mode: 'exit' | 'sleep'): Promise<number> {
  const parent = spawn('python3', ['-c', ZOMBIE_GROUP, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  parents.push(parent);
  for await (const line of createInterface({ input: parent.stdout })) return Number(line);
  throw new Error('the python3 parent printed no pid');
}

async function state(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
}

describe('ending an engine process group', () => {
  it('counts a group whose only member is an unreaped zombie as no longer running', { timeout: 20_000 }, async () => {
    const pgid = await groupOf('exit');
    await until('the child is a zombie', async () => (await state(pgid)) === 'Z');
    expect(await groupRunning(pgid)).toBe(false);
    // Not waiting out the grace period for it: a minute would outlast this test's timeout.
    await endGroup(pgid, 60_000);
  });

  it('counts a group with a live member as running, and ends it', { timeout: 20_000 }, async () => {
    const pgid = await groupOf('sleep');
    expect(await groupRunning(pgid)).toBe(true);
    await endGroup(pgid, 60_000);
    expect(await groupRunning(pgid)).toBe(false);
  });
});
