import ora from 'ora';
import type { Logger } from 'pino';

/** A task's state for a person: text updates and an end. */
export interface Progress {
  update: (text: string) => void;
  succeed: (text: string) => void;
  fail: (text: string) => void;
  stop: () => void;
}

/** A long task's fraction done (0..1), e.g. transcription. */
export interface ProgressBar {
  update: (fraction: number) => void;
  stop: () => void;
}

/**
 * Chosen once by the command: spinners and bars for a person at a terminal, log lines under
 * systemd (no TTY) or with --json, so the journal never fills with redraws. Libraries take a
 * factory and never pick a terminal UI themselves.
 */
export interface ProgressFactory {
  spinner: (text: string) => Progress;
  bar: (label: string) => ProgressBar;
}

export function renderBar(fraction: number, width = 24): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(clamped * 100)).padStart(3)}%`;
}

/** A log line per `step` of progress, for runs nobody watches. */
export function progressLogger(log: Logger, label: string, step = 0.1): (fraction: number) => void {
  let next = step;
  return (fraction) => {
    if (fraction + 1e-9 < next) return;
    log.info({ progress: Math.round(fraction * 100) / 100 }, `${label}: ${Math.floor(fraction * 100)}%`);
    next = (Math.floor(fraction / step + 1e-9) + 1) * step;
  };
}

export function progressFactory(options: { interactive: boolean; stream: NodeJS.WritableStream; log: Logger }): ProgressFactory {
  const { log } = options;
  if (!options.interactive) {
    return {
      spinner(text) {
        log.info(text);
        return {
          update: (t) => {
            log.debug(t);
          },
          succeed: (t) => {
            log.info(t);
          },
          fail: (t) => {
            log.error(t);
          },
          stop: () => undefined,
        };
      },
      bar: (label) => ({ update: progressLogger(log, label), stop: () => undefined }),
    };
  }
  const stream = options.stream;
  return {
    spinner(text) {
      const spinner = ora({ text, stream, isEnabled: true, discardStdin: false }).start();
      return {
        update: (t) => {
          spinner.text = t;
        },
        succeed: (t) => spinner.succeed(t),
        fail: (t) => spinner.fail(t),
        stop: () => spinner.stop(),
      };
    },
    bar(label) {
      const spinner = ora({ text: `${label} ${renderBar(0)}`, stream, isEnabled: true, discardStdin: false }).start();
      return {
        update: (fraction) => {
          spinner.text = `${label} ${renderBar(fraction)}`;
        },
        stop: () => spinner.stop(),
      };
    },
  };
}
