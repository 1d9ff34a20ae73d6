import { TransientError, UnavailableError } from '../errors.js';

/** The engine's executable is missing or not executable: exit 3, nothing to retry until installed. */
export class EngineNotInstalledError extends UnavailableError {
  constructor(command: string, detail: string, options?: { cause?: unknown }) {
    super(`transcription engine "${command}" is not installed or not executable (${detail})`, 'engine', options);
  }
}

/** The engine exited non-zero or was killed by a signal; the tail of its stderr says why in its own words. */
export class EngineFailedError extends TransientError {
  constructor(command: string, how: string, stderrTail: string) {
    super(`${command} ${how}${stderrTail ? `: ${stderrTail}` : ''}`);
  }
}

/** The engine ran past its duration-scaled limit and was killed; the job should be retried later. */
export class EngineTimeoutError extends TransientError {
  constructor(command: string, timeoutMs: number, mediaSec: number) {
    super(
      `${command} was still running after ${Math.round(timeoutMs / 1000)} s for ${Math.round(mediaSec)} s of audio; killed it, will retry later`,
    );
  }
}

/** The engine finished but its JSON is missing or unreadable; the message names the file. */
export class EngineOutputError extends TransientError {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`engine output ${file}: ${problem}`, options);
  }
}
