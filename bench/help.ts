/**
 * Whole-process wall time of `archivist --help` (and `--version`, and one command's own help)
 * from the built CLI, against a bare `node -e 0` measured in the same run: what starting the
 * CLI costs beyond starting Node. Target: `archivist --help` at most 0.30 s.
 *
 *   npm run build && npx tsx bench/help.ts
 */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const ROUNDS = 15;
const TARGET_SECONDS = 0.3;

async function wallSeconds(args: string[]): Promise<number> {
  const started = performance.now();
  const result = await execa('node', args, { reject: false, stdout: 'ignore', stderr: 'ignore' });
  if (result.exitCode !== 0) throw new Error(`node ${args.join(' ')} exited ${String(result.exitCode)}`);
  return (performance.now() - started) / 1000;
}

/** Median of ROUNDS runs after one warm-up (the first start also reads the files from disk). */
async function median(args: string[]): Promise<number> {
  await wallSeconds(args);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) times.push(await wallSeconds(args));
  times.sort((a, b) => a - b);
  return times[Math.floor(ROUNDS / 2)] ?? Number.NaN;
}

const baseline = await median(['-e', '0']);
console.log(`start-up benchmark: median of ${ROUNDS} whole-process runs; baseline node -e 0 = ${baseline.toFixed(3)} s`);
for (const [label, args, target] of [
  ['archivist --help', ['--help'], TARGET_SECONDS],
  ['archivist --version', ['--version'], TARGET_SECONDS],
  ['archivist transcribe --help', ['transcribe', '--help'], undefined],
] as const) {
  const seconds = await median([CLI, ...args]);
  const verdict = target === undefined ? '' : `; target <= ${target.toFixed(2)} s: ${seconds <= target ? 'met' : 'MISSED'}`;
  console.log(`${label.padEnd(28)} ${seconds.toFixed(3)} s = ${(seconds / baseline).toFixed(2)}x node -e 0${verdict}`);
}
