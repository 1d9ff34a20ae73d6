import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { redactSecrets } from './text/redact-secrets.js';
import { escapeJsonForTerminal, terminalSafe } from './text/terminal-safe.js';

/** Addresses in messages: the password hidden in any of its forms. */
export { redactUrl } from './text/redact-secrets.js';

/**
 * Secrets can reach a log line through a config object, an HTTP request, or an error's
 * cause; pino replaces these paths before anything is written.
 */
const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.Authorization',
  '*.headers.Authorization',
  'databaseUrl',
  '*.databaseUrl',
];

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Readable lines for a person at a terminal; JSON lines (for journald) otherwise. */
  pretty?: boolean;
  /** The command's stderr: logs never share stdout with a command's own output. */
  destination: NodeJS.WritableStream;
  /**
   * Values never to print, wherever they turn up (the database and Cablecast passwords from
   * the configuration): hidden in every line on top of the patterns redactSecrets knows.
   */
  secrets?: readonly string[];
}

/**
 * Logs go to stderr so that stdout carries only a command's own output (tables, --json).
 * Under systemd both streams reach the journal.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { destination } = options;
  const usePretty = options.pretty ?? (destination as Partial<NodeJS.WriteStream>).isTTY === true;
  const base = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  const secrets = options.secrets ?? [];
  // The whole serialised line is scrubbed, so a password in a message, an error's message or
  // stack, or any field at any depth is caught, not only the fixed paths above.
  const scrub = (line: string): string => redactSecrets(line, secrets);
  if (usePretty) {
    const prettify = prettyFactory({ ignore: 'pid,hostname', translateTime: 'HH:MM:ss' });
    return pino(base, {
      write: (line: string) => destination.write(prettify(terminalSafeRecord(JSON.parse(scrub(line)) as unknown, ''))),
    } satisfies DestinationStream);
  }
  return pino(base, { write: (line: string) => destination.write(escapeJsonForTerminal(scrub(line))) } satisfies DestinationStream);
}

/** Every key and string in a log record made terminal-safe; a stack keeps its line breaks. */
function terminalSafeRecord(value: unknown, key: string): unknown {
  if (typeof value === 'string') return terminalSafe(value, { keepNewlines: key === 'stack' });
  if (Array.isArray(value)) return value.map((item: unknown) => terminalSafeRecord(item, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [terminalSafe(k), terminalSafeRecord(v, k)]));
  }
  return value;
}
