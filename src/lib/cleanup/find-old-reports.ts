import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../errors.js';
import type { CleanupChange } from './changes.js';

/** Only the nightly run's dated pages: latest.html and anything else in the folder stay. */
const DATED_PAGE = /^(\d{4}-\d{2}-\d{2})\.html$/;

/** Nightly report pages whose date is before `before`'s (UTC). */
export async function findOldReports(dir: string, before: Date): Promise<CleanupChange[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
  const cutoff = before.toISOString().slice(0, 10);
  return names.flatMap((name): CleanupChange[] => {
    const date = DATED_PAGE.exec(name)?.[1];
    return date !== undefined && date < cutoff ? [{ action: 'delete-report', path: join(dir, name), date }] : [];
  });
}
