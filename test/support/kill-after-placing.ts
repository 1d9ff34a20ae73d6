/**
 * Preloaded (`node --import`) into an archivist process by tests that need it to die at one
 * exact point: the moment a file has been given its final name (a link or rename onto a path
 * ending in ARCHIVIST_TEST_KILL_AFTER_PLACING), before anything else runs, it SIGKILLs itself.
 * Only this file reads the variable; the program itself knows nothing of it.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const suffix = process.env.ARCHIVIST_TEST_KILL_AFTER_PLACING;
if (suffix !== undefined && suffix !== '') {
  const { link, rename } = fs.promises;
  const dieIfPlaced = (target: fs.PathLike): void => {
    if (String(target).endsWith(suffix)) process.kill(process.pid, 'SIGKILL');
  };
  fs.promises.link = async (from, to) => {
    await link(from, to);
    dieIfPlaced(to);
  };
  fs.promises.rename = async (from, to) => {
    await rename(from, to);
    dieIfPlaced(to);
  };
  // `import { link } from 'node:fs/promises'` elsewhere sees the replacements too.
  syncBuiltinESMExports();
}
