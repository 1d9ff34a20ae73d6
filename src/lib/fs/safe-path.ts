import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PermanentError, errnoCode } from '../errors.js';
import { isControl, isLoneSurrogate, replaceCodePoints } from '../text/code-points.js';

export interface SafeBaseNameOptions {
  /**
   * Longest result in UTF-8 bytes. File systems allow 255; the default leaves room for what we
   * add around a name (`.archivist-<12 hex>-` temp prefixes, `.tmp`, `.part`, a sidecar extension).
   */
  maxBytes?: number;
  /** What an empty (or entirely unusable) name becomes. */
  fallback?: string;
}

const DEFAULT_MAX_BYTES = 200;
/** An extension longer than this is part of the name, not something to keep when shortening. */
const MAX_EXTENSION_BYTES = 16;

/** What SMB shares (Windows servers) refuse in a name, besides the separators. */
const WINDOWS_RESERVED = new Set(['/', '\\', ':', '*', '?', '"', '<', '>', '|']);

/** Path separators, NUL and every control, lone surrogates and what Windows refuses become `_`. */
function replaceUnsafe(name: string): string {
  return replaceCodePoints(name, (char, code) =>
    isControl(code) || isLoneSurrogate(code) || WINDOWS_RESERVED.has(char) ? '_' : undefined,
  );
}

/**
 * Turns a name from outside (a Cablecast file name or show title, an engine's output path, a
 * file name on a share) into one file name that cannot leave its directory: no separators, no
 * controls, never `.`, `..` or a hidden (leading-dot) name, which cleanup could take for our
 * own temp files; no trailing dot or space, which Windows servers silently drop; at most
 * `maxBytes` of UTF-8, shortened before the extension so `.mp4` stays `.mp4`; never empty.
 * An ordinary name comes back unchanged, so a sidecar keeps its video's exact base name.
 */
export function safeBaseName(raw: string, options: SafeBaseNameOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const fallback = options.fallback ?? 'unnamed';
  const cleaned = trimEnd(replaceUnsafe(raw).replace(/^\.+/, (dots) => '_'.repeat(dots.length)));
  const bounded = trimEnd(shortenKeepingExtension(cleaned, maxBytes));
  if (bounded !== '') return bounded;
  return fallback === '' ? 'unnamed' : safeBaseName(fallback, { maxBytes, fallback: 'unnamed' });
}

function trimEnd(name: string): string {
  return name.replace(/[. ]+$/, '');
}

function shortenKeepingExtension(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name, 'utf8') <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot) : '';
  const extensionBytes = Buffer.byteLength(extension, 'utf8');
  if (extension !== '' && !/\s/.test(extension) && extensionBytes <= MAX_EXTENSION_BYTES && extensionBytes < maxBytes) {
    const stem = trimEnd(takeBytes(name.slice(0, dot), maxBytes - extensionBytes));
    if (stem !== '') return `${stem}${extension}`;
  }
  return takeBytes(name, maxBytes);
}

/** The longest prefix of whole code points that fits in `maxBytes` of UTF-8. */
function takeBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    out += char;
  }
  return out;
}

/** A path built from outside data that would lead out of the directory it belongs in. */
export class PathEscapeError extends PermanentError {
  constructor(
    readonly root: string,
    readonly part: string,
    reason: string,
  ) {
    super(`refusing the path ${JSON.stringify(part)} under ${root}: ${reason}`);
  }
}

/**
 * Joins `root` and a relative `part` and checks the result stays inside `root`, both as
 * written and on disk: the deepest part of the path that exists is resolved through symlinks
 * (a symlinked parent, or a link at the final name, pointing outside is refused). Returns the
 * joined path as written. The check is against names from outside, not a local user racing us.
 */
export async function confinedPath(root: string, part: string): Promise<string> {
  if (part === '' || part.includes('\0')) throw new PathEscapeError(root, part, 'it is empty or holds a NUL');
  if (isAbsolute(part)) throw new PathEscapeError(root, part, 'it is absolute');
  const base = resolve(root);
  const target = resolve(base, part);
  if (!isInside(base, target)) throw new PathEscapeError(root, part, 'it leads outside that directory');
  const [realBase, realTarget] = await Promise.all([resolveExisting(base), resolveExisting(target)]);
  if (realBase === undefined) throw new PathEscapeError(root, part, 'that directory is a symlink pointing nowhere');
  if (realTarget === undefined) throw new PathEscapeError(root, part, 'it goes through a symlink pointing nowhere');
  if (!isInside(realBase, realTarget)) {
    throw new PathEscapeError(root, part, `it leads outside that directory through a symlink (to ${realTarget})`);
  }
  return target;
}

/** Strictly below `dir`: the directory itself is not a place to put a file. */
function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The real path of the deepest existing ancestor (or the path itself), with the rest appended;
 * undefined when that ancestor is a symlink pointing nowhere, which a write would follow.
 */
async function resolveExisting(path: string): Promise<string | undefined> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    if (await exists(current)) {
      try {
        return join(await realpath(current), ...missing.reverse());
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    }
    const parent = dirname(current);
    if (parent === current) return join(current, ...missing.reverse());
    missing.push(relative(parent, current));
    current = parent;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
