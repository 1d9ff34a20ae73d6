/** Kept in step with package.json by a test, so `--version` needs no file read. */
export const VERSION = '0.1.0';
