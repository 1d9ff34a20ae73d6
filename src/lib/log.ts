import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

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
  /**
   * The command's stderr, so that stdout carries only a command's own output (tables, --json).
   * Under systemd both streams reach the journal.
   */
  destination: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const { destination } = options;
  const usePretty = options.pretty ?? ('isTTY' in destination && destination.isTTY === true);
  const base = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  if (usePretty) {
    return pino(base, pretty({ destination, sync: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' }));
  }
  return pino(base, destination);
}

/** Hides the password in a connection string before it goes into a message. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':redacted@');
  }
}
