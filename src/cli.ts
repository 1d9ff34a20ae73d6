#!/usr/bin/env node
import { runAsProcess } from './lib/cli/process.js';
import { main } from './main.js';

await runAsProcess(main);
