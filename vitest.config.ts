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
    // Two cores: more workers only make ffmpeg and PGlite start-ups fight for them.
    maxWorkers: 2,
  },
});
