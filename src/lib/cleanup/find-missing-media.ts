import { readdir, stat } from 'node:fs/promises';
import type { Site } from '../config/schema.js';
import type { Db } from '../db/schema.js';
import type { CleanupChange } from './changes.js';
import { errnoCode } from '../errors.js';

type MissingChange = Extract<CleanupChange, { action: 'mark-missing' }>;

export interface MissingMediaResult {
  changes: MissingChange[];
  /** Sites skipped because their share looks unmounted: every file would look gone. */
  skippedSites: string[];
}

/**
 * Active media whose file is gone (ENOENT). A share that is empty or absent is taken to be
 * unmounted and its media are left alone. Cablecast-sourced media are left to their fetch step.
 */
export async function findMissingMedia(db: Db, sites: readonly Site[]): Promise<MissingMediaResult> {
  const rows = await db
    .selectFrom('media')
    .select(['id', 'site', 'path'])
    .where('state', '=', 'active')
    .where('source', 'in', ['share', 'file'])
    .orderBy('id')
    .execute();
  const mounted = new Map<string, boolean>();
  const skipped = new Set<string>();
  const changes: MissingChange[] = [];
  for (const row of rows) {
    const site = sites.find((s) => s.key === row.site);
    if (site) {
      if (!mounted.has(site.key)) mounted.set(site.key, await looksMounted(site.share));
      if (!mounted.get(site.key)) {
        skipped.add(site.key);
        continue;
      }
    }
    const gone = await stat(row.path).then(
      () => false,
      (error: unknown) => {
        if (errnoCode(error) === 'ENOENT') return true;
        throw error;
      },
    );
    if (!gone) continue;
    const jobs = await db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('media_id', '=', row.id)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirstOrThrow();
    changes.push({ action: 'mark-missing', mediaId: row.id, path: row.path, jobsToCancel: jobs.n });
  }
  return { changes, skippedSites: [...skipped] };
}

async function looksMounted(share: string): Promise<boolean> {
  try {
    return (await readdir(share)).length > 0;
  } catch {
    return false;
  }
}
