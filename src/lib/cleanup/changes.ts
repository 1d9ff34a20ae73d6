/** One change cleanup-orphaned makes (or, with --dry-run, would make). */
export type CleanupChange =
  | { action: 'orphan-link'; linkId: number; showId: number; mediaId: number; path: string }
  | { action: 'mark-missing'; mediaId: number; path: string; jobsToCancel: number }
  | { action: 'delete-scratch'; path: string; what: ScratchKind; modified: string }
  | { action: 'delete-output'; artifactId: number; path: string; kind: string }
  | { action: 'forget-artifact'; artifactId: number; path: string; kind: string }
  | { action: 'prune-jobs'; count: number; finishedBefore: string }
  | { action: 'prune-runs'; count: number; finishedBefore: string }
  | { action: 'delete-report'; path: string; date: string };

export type ScratchKind = 'scratch directory' | 'partial download' | 'temp file' | 'downloaded VOD';

export function describeChange(change: CleanupChange): { action: string; target: string; detail: string } {
  switch (change.action) {
    case 'orphan-link':
      return { action: 'link orphaned', target: change.path, detail: `show ${change.showId} no longer exists in Cablecast` };
    case 'mark-missing':
      return {
        action: 'media missing',
        target: change.path,
        detail: `the file is gone; ${change.jobsToCancel} unfinished job(s) cancelled`,
      };
    case 'delete-scratch':
      return { action: 'deleted', target: change.path, detail: `${change.what}, last modified ${change.modified}` };
    case 'delete-output':
      return { action: 'deleted', target: change.path, detail: `${change.kind} Archivist wrote for a recording no longer in the database` };
    case 'forget-artifact':
      return { action: 'record dropped', target: change.path, detail: `${change.kind} Archivist wrote is no longer on disk` };
    case 'prune-jobs':
      return { action: 'pruned', target: `${change.count} finished job(s)`, detail: `finished before ${change.finishedBefore}` };
    case 'delete-report':
      return { action: 'deleted', target: change.path, detail: `the report of ${change.date}, older than cleanup.reportDays` };
    case 'prune-runs':
      return {
        action: 'pruned',
        target: `${change.count} run record(s)`,
        detail: `finished before ${change.finishedBefore} (the last run of each command is kept)`,
      };
  }
}
