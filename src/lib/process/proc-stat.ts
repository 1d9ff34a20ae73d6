import { readFile, readdir } from 'node:fs/promises';

/**
 * Fields of /proc/<pid>/stat after the command name (field 2), which may hold spaces and
 * parentheses: counted from the last ')'. Null where the process or /proc is not there.
 */
async function statFields(pid: number): Promise<string[] | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * When the process started (field 22: clock ticks after boot), so a pid reused by another
 * process is not taken for the one we recorded. Null where there is no such process or no /proc.
 */
export async function processStartTime(pid: number): Promise<string | null> {
  return (await statFields(pid))?.[19] ?? null;
}

/**
 * How many processes of group `pgid` are not zombies (field 3 state, field 5 process group),
 * or null without /proc. A zombie holds no memory or device any more; its parent dead, it
 * waits for init to reap it, which in a container may take seconds.
 */
export async function liveGroupMembers(pgid: number): Promise<number | null> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let live = 0;
  for (const pid of pids) {
    const fields = await statFields(Number(pid));
    if (fields !== null && Number(fields[2]) === pgid && fields[0] !== 'Z') live += 1;
  }
  return live;
}
