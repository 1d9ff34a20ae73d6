import ora from 'ora';
import type { Logger } from 'pino';

export interface ProgressReporter {
  /** Give it to transcribeBatch as `onProgress`. */
  update: (fraction: number) => void;
  stop: () => void;
}

/** A progress callback that logs each 10 % step, for runs without a terminal. */
export function progressLogger(log: Logger, label: string, step = 0.1): (fraction: number) => void {
  let next = step;
  return (fraction) => {
    if (fraction + 1e-9 < next) return;
    log.info({ progress: Math.round(fraction * 100) / 100 }, `${label}: ${Math.floor(fraction * 100)}%`);
    next = (Math.floor(fraction / step + 1e-9) + 1) * step;
  };
}

export function renderBar(fraction: number, width = 24): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(clamped * 100)).padStart(3)}%`;
}

/**
 * A bar redrawn in place when `stream` is a terminal; otherwise (journald, pipes) a log line
 * per 10 % step, since redraws would flood a log with thousands of lines.
 */
export function progressReporter(options: { log: Logger; label: string; stream?: NodeJS.WriteStream }): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) {
    return { update: progressLogger(options.log, options.label), stop: () => undefined };
  }
  const spinner = ora({ text: `${options.label} ${renderBar(0)}`, stream, isEnabled: true, discardStdin: false }).start();
  return {
    update: (fraction) => {
      spinner.text = `${options.label} ${renderBar(fraction)}`;
    },
    stop: () => {
      spinner.stop();
    },
  };
}
