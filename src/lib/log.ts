import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import type { prettyFactory as PrettyFactory } from 'pino-pretty';
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
  /**
   * stderr goes to the journal (systemd sets $JOURNAL_STREAM): each line starts with its syslog
   * priority, `<3>` for an error, which journald takes off the line and stores as PRIORITY=
   * (sd-daemon(3)), so `journalctl -p err` finds the errors.
   */
  journald?: boolean;
}

/** sd-daemon(3) priorities by pino level: fatal crit, error err, warn warning, info info, debug and trace debug. */
export function syslogPriority(level: number): number {
  if (level >= 60) return 2;
  if (level >= 50) return 3;
  if (level >= 40) return 4;
  if (level >= 30) return 6;
  return 7;
}

const LEVEL_IN_LINE = /^\{"level":(\d+)/;

/** `<N>` before a pino JSON line; pino writes `level` first, and anything else counts as info. */
function withPriority(line: string): string {
  const level = LEVEL_IN_LINE.exec(line)?.[1];
  return `<${syslogPriority(level === undefined ? 30 : Number(level))}>${line}`;
}

/**
 * On a terminal an event is one line: an error shows its message (its stack and the rest are
 * in the JSON lines that stderr carries when it is not a terminal), and the command's own
 * name, which the person just typed, is left out.
 */
function forTerminal(record: unknown): unknown {
  if (typeof record !== 'object' || record === null) return record;
  const entries = Object.entries(record)
    .filter(([key]) => key !== 'command')
    .map(([key, value]): [string, unknown] => [key, isErrorRecord(value) ? value.message : value]);
  return Object.fromEntries(entries);
}

function isErrorRecord(value: unknown): value is { message: string } {
  return typeof value === 'object' && value !== null && 'message' in value && typeof value.message === 'string';
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
  const priority = options.journald === true ? withPriority : (line: string): string => line;
  if (usePretty) {
    // Loaded only for a terminal (it is CommonJS, so synchronously): under systemd, and for
    // --json, its dozen modules would be start-up spent on nothing.
    const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as { prettyFactory: typeof PrettyFactory };
    const prettify = prettyFactory({
      ignore: 'pid,hostname',
      translateTime: 'HH:MM:ss',
      singleLine: true,
      // Printed inline like any other field, never as a block of lines of their own.
      errorLikeObjectKeys: [],
    });
    return pino(base, {
      write: (line: string) =>
        destination.write(priority(prettify(terminalSafeRecord(forTerminal(JSON.parse(scrub(line)) as unknown), '')))),
    } satisfies DestinationStream);
  }
  return pino(base, {
    write: (line: string) => destination.write(priority(escapeJsonForTerminal(scrub(line)))),
  } satisfies DestinationStream);
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
