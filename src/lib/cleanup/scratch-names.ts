import { SCRATCH_DIR_PREFIX } from '../media/scratch.js';

/** `tempPathFor` (src/lib/fs/atomic.ts): `.archivist-<12 hex>-<target name>.tmp`. */
const TEMP_FILE = /^\.archivist-[0-9a-f]{12}-.+\.tmp$/;

/** Temp files of an interrupted atomic write: ours by name wherever they are. */
export function isOurTempFile(name: string): boolean {
  return TEMP_FILE.test(name);
}

export function isScratchDir(name: string): boolean {
  return name.startsWith(SCRATCH_DIR_PREFIX);
}

/** Partial downloads (`<dest>.part`, src/lib/fetch/download.ts): ours only inside paths.work. */
export function isPartialDownload(name: string): boolean {
  return name.endsWith('.part') && name.length > '.part'.length;
}
