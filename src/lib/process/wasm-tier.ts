import { setFlagsFromString } from 'node:v8';

/**
 * PGlite is PostgreSQL compiled to WebAssembly. V8 compiles it first with its baseline compiler
 * (Liftoff), then recompiles the functions that run often with its optimising one (TurboFan) on
 * background threads. For the job database that second compilation costs more than it gives:
 * on `status` it added 85 MiB of RSS and about 0.35 s, most of it the process waiting at exit
 * for compilations still under way, and on a new database's initdb and migrations it spent a
 * third more CPU. Optimised code runs heavy queries about 40% faster; ours are small.
 *
 * The same goes for undici's HTTP parser (llhttp, WebAssembly too): TurboFan's recompilation
 * of it took about 30 MiB of compiler memory in a `process-recent-vods --steps fetch` run (peak RSS 118 MiB, 92 MiB without), to parse a few
 * KiB of JSON faster.
 *
 * V8 reads the flag when it compiles a module, so the bin sets it before any command loads,
 * and the process that creates the embedded database sets it for itself.
 */
export function keepWasmAtBaselineTier(): void {
  setFlagsFromString('--liftoff-only');
}
