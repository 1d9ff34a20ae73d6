import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CleanupChange, ScratchKind } from './changes.js';
import { isOurTempFile, isPartialDownload, isScratchDir } from './scratch-names.js';
import { errnoCode } from '../errors.js';

export interface ScratchRoot {
  dir: string;
  /** How many directory levels below `dir` are searched. */
  depth: number;
  /** paths.work is ours: scratch directories and partial downloads there are too. Elsewhere only our temp files are. */
  ours: boolean;
}

type ScratchChange = Extract<CleanupChange, { action: 'delete-scratch' }>;

/**
 * Finds leftovers older than `before`: scratch directories and partial downloads in paths.work,
 * and `.archivist-<hex>-*.tmp` files anywhere searched. Symbolic links are never followed, and
 * nothing else on a share is even considered.
 */
export async function findScratch(roots: readonly ScratchRoot[], before: Date): Promise<ScratchChange[]> {
  const found = new Map<string, ScratchChange>();
  for (const root of roots) {
    for (const change of await walk(root.dir, root.depth, root.ours, before)) found.set(change.path, change);
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

async function walk(dir: string, depth: number, ours: boolean, before: Date): Promise<ScratchChange[]> {
  const entries = await entriesOf(dir);
  const changes: ScratchChange[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      if (ours && isScratchDir(entry.name)) {
        const newest = await newestModification(path);
        if (newest < before) changes.push(change(path, 'scratch directory', newest));
      } else if (depth > 0) {
        changes.push(...(await walk(path, depth - 1, ours, before).catch(nothingIfUnreadable)));
      }
      continue;
    }
    if (!entry.isFile()) continue;
    const kind: ScratchKind | null = isOurTempFile(entry.name)
      ? 'temp file'
      : ours && isPartialDownload(entry.name)
        ? 'partial download'
        : null;
    if (kind === null) continue;
    const modified = (await lstat(path)).mtime;
    if (modified < before) changes.push(change(path, kind, modified));
  }
  return changes;
}

/** A scratch directory is in use while anything in it changes: its newest entry decides. */
async function newestModification(dir: string): Promise<Date> {
  let newest = (await lstat(dir)).mtime;
  for (const entry of await entriesOf(dir)) {
    const path = join(dir, entry.name);
    const modified = entry.isDirectory() && !entry.isSymbolicLink() ? await newestModification(path) : (await lstat(path)).mtime;
    if (modified > newest) newest = modified;
  }
  return newest;
}

async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // A root that does not exist yet (no work done) holds nothing to clean.
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Windows-made shares hold folders this user may not read (`System Volume Information`,
 * `$RECYCLE.BIN`); nothing of ours can be in them, and they must not stop the clean-up.
 */
function nothingIfUnreadable(error: unknown): ScratchChange[] {
  const code = errnoCode(error);
  if (code === 'EACCES' || code === 'EPERM') return [];
  throw error;
}

function change(path: string, what: ScratchKind, modified: Date): ScratchChange {
  return { action: 'delete-scratch', path, what, modified: modified.toISOString() };
}
