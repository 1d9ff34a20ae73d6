#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { COMMANDS } from './commands/index.js';
import { runAsProcess } from './lib/cli/process.js';
import { keepWasmAtBaselineTier } from './lib/process/wasm-tier.js';
import { commandName, main } from './main.js';

// V8 settings for the whole process, before the command's modules load (their loading is what
// grows the young generation, and compiles PGlite and undici's parser). Set here and not in
// main(), which tests run in processes of their own.
// --max-semi-space-size cannot change once the heap exists; the growth factor is read at each growth.
if (COMMANDS[commandName(process.argv.slice(2)) ?? '']?.smallYoungGeneration === true) {
  setFlagsFromString('--semi-space-growth-factor=1');
}
keepWasmAtBaselineTier();
await runAsProcess(main);
