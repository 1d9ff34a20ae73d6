import { rm, unlink } from 'node:fs/promises';
import { sql } from 'kysely';
import type { CablecastClient } from '../cablecast/index.js';
import type { Config } from '../config/schema.js';
import { cancelJobs } from '../jobs/cancel-job.js';
import type { Db } from '../db/schema.js';
import { orphanLink } from '../linking/links-db.js';
import type { CleanupChange } from './changes.js';
import { findArtifactChanges } from './find-artifacts.js';
import { findMissingMedia } from './find-missing-media.js';
import { findOrphanedLinks } from './find-orphaned-links.js';
import { findScratch, type ScratchRoot } from './find-scratch.js';
import { findSpentDownloads } from './find-spent-downloads.js';
import { findOldReports } from './find-old-reports.js';
import { reportsDir } from '../report/write-report.js';
import { countPrunableJobs, countPrunableRuns, pruneJobs, pruneRuns } from './prune.js';
import { errnoCode } from '../errors.js';
import { vacuumTables } from './vacuum.js';

export interface CleanupOptions {
  db: Db;
  config: Config;
  /** Null when Cablecast is not configured: links are then not checked. */
  client: CablecastClient | null;
  dryRun: boolean;
  now: Date;
  /** Vacuum the tables runs rewrite once the rows are pruned: for the embedded database, which has no autovacuum. */
  vacuum?: boolean;
}

export interface CleanupReport {
  dryRun: boolean;
  changes: CleanupChange[];
  notes: string[];
  /** Why links could not be checked; the local changes above were still made. */
  linkCheckFailed?: Error;
}

/** Where leftovers are looked for: all of paths.work; only our temp files in outputs and on shares. */
export function scratchRoots(config: Config): ScratchRoot[] {
  return [
    { dir: config.paths.work, depth: 6, ours: true },
    { dir: config.paths.output, depth: 3, ours: false },
    ...config.sites.map((site) => ({ dir: site.share, depth: site.depth, ours: false })),
  ];
}

/**
 * Finds every change, then (unless a dry run) makes them one by one, so the report lists
 * exactly what was done. Local clean-up comes first: a Cablecast outage must not keep the
 * disks from being cleaned.
 */
export async function runCleanup(options: CleanupOptions): Promise<CleanupReport> {
  const { db, config, now } = options;
  const notes: string[] = [];
  const changes: CleanupChange[] = [];
  const scratchBefore = new Date(now.getTime() - config.cleanup.scratchMaxAgeHours * 3_600_000);
  const retentionBefore = new Date(now.getTime() - config.cleanup.retentionDays * 86_400_000);

  const missing = await findMissingMedia(db, config.sites);
  for (const site of missing.skippedSites) notes.push(`site ${site}: its share is empty or not mounted; its recordings were not checked`);
  const scratch = await findScratch(scratchRoots(config), scratchBefore);
  const artifacts = await findArtifactChanges(db);
  const protectedPaths = await mediaPaths(db);
  const local: CleanupChange[] = [...missing.changes, ...scratch, ...artifacts].filter((change) => {
    // A source recording is never deleted, whatever its name looks like.
    if ((change.action === 'delete-scratch' || change.action === 'delete-output') && protectedPaths.has(change.path)) {
      notes.push(`${change.path} is a recording: left alone`);
      return false;
    }
    return true;
  });
  // These are recordings too, but copies Archivist downloaded and no step needs any more.
  local.push(...(await findSpentDownloads(db, config.paths.work, scratchBefore)));
  local.push(...(await findOldReports(reportsDir(config.paths.state), new Date(now.getTime() - config.cleanup.reportDays * 86_400_000))));
  const jobs = await countPrunableJobs(db, retentionBefore);
  const runs = await countPrunableRuns(db, retentionBefore);

  for (const change of local) {
    if (!options.dryRun) await apply(db, change);
    changes.push(change);
  }
  if (jobs > 0)
    changes.push({
      action: 'prune-jobs',
      count: options.dryRun ? jobs : await pruneJobs(db, retentionBefore),
      finishedBefore: retentionBefore.toISOString(),
    });
  if (runs > 0)
    changes.push({
      action: 'prune-runs',
      count: options.dryRun ? runs : await pruneRuns(db, retentionBefore),
      finishedBefore: retentionBefore.toISOString(),
    });
  if (options.vacuum === true && !options.dryRun) await vacuumTables(db);

  if (options.client === null) {
    notes.push('Cablecast is not configured: links were not checked');
    return { dryRun: options.dryRun, changes, notes };
  }
  try {
    for (const change of await findOrphanedLinks(db, options.client)) {
      if (!options.dryRun) await orphanLink(db, change.linkId, `show ${change.showId} no longer exists in Cablecast`);
      changes.push(change);
    }
  } catch (error) {
    return { dryRun: options.dryRun, changes, notes, linkCheckFailed: error instanceof Error ? error : new Error(String(error)) };
  }
  return { dryRun: options.dryRun, changes, notes };
}

async function apply(db: Db, change: CleanupChange): Promise<void> {
  switch (change.action) {
    case 'mark-missing':
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('media')
          .set({ state: 'missing', updated_at: sql`now()` })
          .where('id', '=', change.mediaId)
          .execute();
        await cancelJobs(trx, { mediaId: change.mediaId }, 'the recording is missing (cleanup-orphaned)');
      });
      return;
    case 'delete-scratch':
      if (change.what === 'scratch directory') await rm(change.path, { recursive: true, force: true });
      else await unlinkIfPresent(change.path);
      await db.deleteFrom('artifacts').where('path', '=', change.path).execute();
      return;
    case 'delete-output':
      await unlinkIfPresent(change.path);
      await db.deleteFrom('artifacts').where('id', '=', change.artifactId).execute();
      return;
    case 'delete-report':
      await unlinkIfPresent(change.path);
      return;
    case 'forget-artifact':
      await db.deleteFrom('artifacts').where('id', '=', change.artifactId).execute();
      return;
    case 'orphan-link':
    case 'prune-jobs':
    case 'prune-runs':
      throw new Error(`${change.action} is applied where it is found`);
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (errnoCode(error) !== 'ENOENT') throw error;
  });
}

async function mediaPaths(db: Db): Promise<Set<string>> {
  return new Set((await db.selectFrom('media').select('path').execute()).map((row) => row.path));
}
