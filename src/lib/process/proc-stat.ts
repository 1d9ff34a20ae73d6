import { readFile } from 'node:fs/promises';

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
