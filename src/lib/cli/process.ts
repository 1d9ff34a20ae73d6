import { Interrupted, type CommandIo, type StopSignal } from './io.js';

/** How long a command may take to wind down after SIGTERM before it is cut off. */
export const STOP_GRACE_MS = 60_000;

/**
 * The process edge: runs a command with this process's streams, environment and working
 * directory; signals become an abort of the running command, and a second signal, or a
 * command still busy after the grace period, ends the process at once. The exit at the end
 * also ends any lingering socket, so a systemd unit never stays alive after its work.
 */
export async function runAsProcess(run: (argv: readonly string[], io: CommandIo) => Promise<number>): Promise<never> {
  const controller = new AbortController();
  const onSignal = (signal: StopSignal) => (): void => {
    const interrupted = new Interrupted(signal);
    if (controller.signal.aborted) {
      process.stderr.write(`archivist: second ${signal}, exiting now\n`);
      process.exit(interrupted.exitCode);
    }
    controller.abort(interrupted);
    setTimeout(() => {
      process.stderr.write(`archivist: did not stop within ${STOP_GRACE_MS / 1000}s of ${signal}; exiting\n`);
      process.exit(interrupted.exitCode);
    }, STOP_GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal('SIGINT'));
  process.on('SIGTERM', onSignal('SIGTERM'));
  const code = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  });
  process.exit(code);
}
