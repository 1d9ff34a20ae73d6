/**
 * `npm run build` after the type check: dist/ as a few ES modules instead of one file per
 * module. Node loads an ES module file by file, and a command's start-up read about 500 of
 * them (kysely alone is 288, zod 97): `status` spent more time loading modules than querying.
 * Each dynamic import (a command, a database driver) stays its own chunk, so a command still
 * loads only what it runs.
 *
 *   npm run build
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const DIST = `${REPO}dist`;

/**
 * Left to node_modules: packages that find their own files by path (PGlite its WebAssembly and
 * data bundle, pino its worker, pino-pretty through createRequire), and the CommonJS drivers
 * whose optional requires a bundle cannot keep optional (pg's pg-native, undici's).
 */
const EXTERNAL = ['@electric-sql/pglite', 'pg', 'pino', 'pino-pretty', 'undici'];

await rm(DIST, { recursive: true, force: true });
await build({
  // One directory: embedded-create finds its child beside the chunk that holds it.
  entryPoints: { cli: `${REPO}src/cli.ts`, 'embedded-create-child': `${REPO}src/lib/db/embedded-create-child.ts` },
  outdir: DIST,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  external: EXTERNAL,
  // Bundled CommonJS (commander, cli-table3) requires node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
