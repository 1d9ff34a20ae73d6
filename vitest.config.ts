import { accessSync, constants } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The suite's temporary files go to RAM when it can: it makes a few hundred copies of the
// migrated embedded database (39 MiB, a thousand files each) and deletes them again, and on
// this machine's disk (ext4 mounted with discard) a copy and its removal cost 0.3-0.7 s of
// kernel time against 0.05 s on tmpfs, a third of the PGlite suite's CPU. A TMPDIR the
// developer set is kept.
if (process.env.TMPDIR === undefined && writable('/dev/shm')) process.env.TMPDIR = '/dev/shm';

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // A safety net for hangs, not a speed assertion: CLI tests spawn processes that each open
    // the embedded database, which is slow on a loaded two-core machine.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One process per worker for all its files instead of a new one per file: the source graph
    // (src/main.ts and what it imports) is loaded once per worker, not once per file, which was
    // a fifth of the suite's CPU time. Tests share no module state: each makes its own
    // databases, folders and servers, and nothing stubs globals or mocks modules.
    isolate: false,
    // WebAssembly at the tier the bin keeps it at (src/lib/process/wasm-tier.ts).
    execArgv: ['--liftoff-only'],
    // Two cores: more workers only make ffmpeg and PGlite start-ups fight for them.
    maxWorkers: 2,
  },
});
