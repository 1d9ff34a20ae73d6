import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Site } from '../config/schema.js';
import { errnoCode, errorMessage } from '../errors.js';
import { parseRecordingName, type RecordingName } from './flex-name.js';
import { titleMatcher } from './title-patterns.js';

export interface Recording extends RecordingName {
  site: string;
  path: string;
  size: number;
  mtime: Date;
}

export type SkipReason = 'captioned' | 'settling' | 'growing' | 'pattern' | 'ours' | 'unreadable';

export interface ScanResult {
  site: string;
  share: string;
  recordings: Recording[];
  skipped: { path: string; reason: SkipReason; detail: string }[];
  /** Set when the share could not be read at all (not mounted, no permission). */
  error?: string;
}

export interface ScanOptions {
  extensions: readonly string[];
  /** Files modified more recently than this may still be recording or copying. */
  settleSeconds: number;
  /** Files not modified since then are older than the lookback window: ignored silently. */
  since?: Date;
  /** Delay between the two looks at each file's size. */
  recheckMs: number;
  /** What happens between the two looks; by default waiting `recheckMs` (tests make the file grow there). */
  betweenLooks?: (() => Promise<void>) | undefined;
  now?: Date;
}

/** Renditions Archivist made (`<stem>.captioned.<ext>`, `<stem>.burned.<ext>`) are outputs, never new recordings. */
function isOwnOutput(fileName: string): boolean {
  return fileName.startsWith('.archivist-') || /\.(?:captioned|burned)\.[^.]+$/i.test(fileName);
}

function shareProblem(share: string, error: unknown): string {
  switch (errnoCode(error)) {
    case 'ENOENT':
      return `share ${share} does not exist (not mounted?)`;
    case 'EACCES':
    case 'EPERM':
      return `share ${share} is not readable by this user`;
    case 'ENOTDIR':
      return `share ${share} is not a directory`;
    default:
      return `share ${share} cannot be read: ${errorMessage(error)}`;
  }
}

interface Candidate {
  path: string;
  name: string;
  size: number;
  mtime: Date;
}

async function listCandidates(
  dir: string,
  depth: number,
  extensions: ReadonlySet<string>,
  out: Candidate[],
  skipped: ScanResult['skipped'],
): Promise<void> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  // Sidecars are matched case-insensitively: Windows-made shares hold "Meeting.SCC" too.
  const sidecars = new Set(
    entries.filter((e) => e.isFile() && extname(e.name).toLowerCase() === '.scc').map((e) => e.name.slice(0, -4).toLowerCase()),
  );
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth > 0) {
        await listCandidates(path, depth - 1, extensions, out, skipped).catch((error: unknown) => {
          skipped.push({ path, reason: 'unreadable', detail: errorMessage(error) });
        });
      }
      continue;
    }
    if (!entry.isFile()) continue;
    const ext = extname(entry.name).slice(1).toLowerCase();
    if (!extensions.has(ext)) continue;
    if (isOwnOutput(entry.name)) {
      skipped.push({ path, reason: 'ours', detail: 'an Archivist output' });
      continue;
    }
    if (sidecars.has(entry.name.slice(0, -(ext.length + 1)).toLowerCase())) {
      skipped.push({ path, reason: 'captioned', detail: 'has a .scc sidecar' });
      continue;
    }
    try {
      const info = await stat(path);
      out.push({ path, name: entry.name, size: info.size, mtime: info.mtime });
    } catch (error) {
      // Deleted between listing and stat: nothing to caption. Anything else (no permission,
      // an I/O error, a name that is not valid UTF-8 and so cannot be looked up) is reported.
      if (errnoCode(error) === 'ENOENT' && !entry.name.includes('\uFFFD')) continue;
      const detail = entry.name.includes('\uFFFD') ? `the file name is not valid UTF-8 (${errorMessage(error)})` : errorMessage(error);
      skipped.push({ path, reason: 'unreadable', detail });
    }
  }
}

/**
 * Finds recordings on one site's share that need captions. A file is left for a later run
 * while it may still be written: modified within the settle time, or its size changed
 * between two looks.
 */
export async function scanShare(site: Site, options: ScanOptions): Promise<ScanResult> {
  const result: ScanResult = { site: site.key, share: site.share, recordings: [], skipped: [] };
  const now = options.now ?? new Date();
  const candidates: Candidate[] = [];
  try {
    const root = await stat(site.share);
    if (!root.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await listCandidates(site.share, site.depth, new Set(options.extensions.map((e) => e.toLowerCase())), candidates, result.skipped);
  } catch (error) {
    result.error = shareProblem(site.share, error);
    return result;
  }

  const matches = titleMatcher(site.patterns, `sites.${site.key}.patterns`);
  const fresh: Candidate[] = [];
  for (const file of candidates) {
    if (options.since && file.mtime < options.since) continue;
    const ageSeconds = (now.getTime() - file.mtime.getTime()) / 1000;
    if (ageSeconds < options.settleSeconds) {
      result.skipped.push({ path: file.path, reason: 'settling', detail: `modified ${Math.max(0, Math.round(ageSeconds))}s ago` });
      continue;
    }
    const name = parseRecordingName(file.name);
    if (!matches(name.title)) {
      result.skipped.push({ path: file.path, reason: 'pattern', detail: `title "${name.title}" matches no pattern of site ${site.key}` });
      continue;
    }
    fresh.push(file);
  }

  if (fresh.length > 0) await (options.betweenLooks ?? (() => sleep(options.recheckMs)))();
  for (const file of fresh) {
    let again;
    try {
      again = await stat(file.path);
    } catch (error) {
      // Gone between the two looks (moved, or a recording aborted): nothing to caption.
      if (errnoCode(error) === 'ENOENT') continue;
      result.skipped.push({ path: file.path, reason: 'unreadable', detail: errorMessage(error) });
      continue;
    }
    if (again.size !== file.size || again.mtime.getTime() !== file.mtime.getTime()) {
      result.skipped.push({
        path: file.path,
        reason: 'growing',
        detail: `size changed from ${file.size} to ${again.size} bytes while looking`,
      });
      continue;
    }
    result.recordings.push({ site: site.key, path: file.path, size: file.size, mtime: file.mtime, ...parseRecordingName(file.name) });
  }
  result.recordings.sort((a, b) => b.mtime.getTime() - a.mtime.getTime());
  return result;
}
