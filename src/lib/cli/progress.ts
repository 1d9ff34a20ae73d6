import ora from 'ora';
import type { Logger } from 'pino';

export interface Progress {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

/**
 * A spinner for a person at a terminal; under systemd (no TTY) the same calls become log
 * lines, so the journal never fills with spinner frames.
 */
export function startProgress(text: string, options: { interactive: boolean; log: Logger }): Progress {
  if (!options.interactive) {
    options.log.info(text);
    return {
      update: (t) => options.log.debug(t),
      succeed: (t) => options.log.info(t),
      fail: (t) => options.log.error(t),
      stop: () => undefined,
    };
  }
  const spinner = ora({ text, stream: process.stderr }).start();
  return {
    update: (t) => {
      spinner.text = t;
    },
    succeed: (t) => spinner.succeed(t),
    fail: (t) => spinner.fail(t),
    stop: () => spinner.stop(),
  };
}
