// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * The process edges (the bin, and the child that creates the embedded database) hand these to
 * commands through their CommandIo; nothing below them reads them.
 */
const PROCESS_EDGE = ['src/cli.ts', 'src/lib/cli/process.ts', 'src/lib/db/embedded-create-child.ts'];
const PROCESS_STATE = ['env', 'cwd', 'stdout', 'stderr'];
const FROM_COMMAND_IO = `take it from the command's CommandIo (io.env, io.cwd, io.stdout, io.stderr): only ${PROCESS_EDGE.join(' and ')} read the process`;

export default defineConfig(
  { ignores: ['dist/', '.test-build/', 'node_modules/', 'bench/.out/', 'test/support/engines/**/*.mjs', 'test/support/engines/bin/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers and booleans read fine in messages; objects and undefined do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: PROCESS_EDGE,
    rules: {
      'no-restricted-properties': [
        'error',
        ...PROCESS_STATE.map((property) => ({ object: 'process', property, message: FROM_COMMAND_IO })),
      ],
      'no-restricted-imports': [
        'error',
        ...['process', 'node:process'].map((name) => ({
          name,
          importNames: PROCESS_STATE,
          message: FROM_COMMAND_IO,
        })),
      ],
    },
  },
);
