import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** `\040` and the like in /proc/self/mountinfo: the kernel escapes spaces, tabs, newlines and backslashes. */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Mount points the kernel lists for this process, or null where there is no /proc. */
async function mountPoints(): Promise<Set<string> | null> {
  try {
    const text = await readFile('/proc/self/mountinfo', 'utf8');
    return new Set(
      text
        .split('\n')
        .map((line) => line.split(' ')[4])
        .filter((field): field is string => field !== undefined && field !== '')
        .map(unescapeMountPath),
    );
  } catch {
    return null;
  }
}

/** Whether `path` is a mount point: listed as one, or on another device than its parent (as `mountpoint(1)` tells). */
export async function isMountPoint(path: string): Promise<boolean> {
  const absolute = resolve(path);
  if ((await mountPoints())?.has(absolute) === true) return true;
  const parent = dirname(absolute);
  if (parent === absolute) return true;
  const [self, above] = await Promise.all([stat(absolute), stat(parent)]);
  return self.dev !== above.dev;
}
