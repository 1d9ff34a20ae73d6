import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * src/ and test/support/ transpiled to JavaScript by the suite's global setup (esbuild, a
 * fraction of a second): what a spawned process runs. Compiling the sources afresh for every
 * run keeps spawned tests as current as in-process ones, without tsx compiling them again in
 * every process (seconds each on two cores).
 */
export const TEST_BUILD = join(REPO, '.test-build');

/** The compiled form of a TypeScript file under src/ or test/support/. */
export function compiled(tsFile: string): string {
  return join(TEST_BUILD, relative(REPO, tsFile).replace(/\.ts$/, '.js'));
}
