#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { COMMANDS } from './commands/index.js';
import { runAsProcess } from './lib/cli/process.js';
import { commandName, main } from './main.js';

// Before the command's modules load: their loading is what grows the young generation. Set
// here and not in main(), which tests run in their own processes.
// --max-semi-space-size cannot change once the heap exists; the growth factor is read at each growth.
if (COMMANDS[commandName(process.argv.slice(2)) ?? '']?.smallYoungGeneration === true) {
  setFlagsFromString('--semi-space-growth-factor=1');
}
await runAsProcess(main);
