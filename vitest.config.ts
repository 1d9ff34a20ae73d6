import { defineConfig } from 'vitest/config';

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
    // Two cores: more workers only make ffmpeg and PGlite start-ups fight for them.
    maxWorkers: 2,
  },
});
