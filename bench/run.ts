/**
 * `npm run bench`: every benchmark in bench/, one after another, each in its own process so
 * none measures another's memory or JIT state. Names on the command line pick some:
 * `npm run bench -- help captions`.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const all = (await readdir(DIR))
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts')
  .map((name) => name.slice(0, -'.ts'.length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`bench: no benchmark ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n== bench/${name}.ts`);
  const result = await execa('node', ['--import', 'tsx', `${DIR}${name}.ts`], { stdout: 'inherit', stderr: 'inherit', reject: false });
  if (result.exitCode !== 0) {
    failed += 1;
    console.error(`bench/${name}.ts exited ${String(result.exitCode)}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
