import { WorkFailedError } from '../errors.js';

/**
 * The input itself is unusable (unreadable, no duration, no audio). Retrying cannot help, so
 * `permanent` tells the job queue to fail the job for good instead of scheduling a retry.
 */
export class MediaProblem extends WorkFailedError {
  readonly permanent = true;
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(`${path}: ${reason}`, options);
    this.path = path;
    this.reason = reason;
  }
}
