import { PermanentError } from '../errors.js';

/** The input itself is unusable (unreadable, no duration, no audio): retrying cannot help. */
export class MediaProblem extends PermanentError {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(`${path}: ${reason}`, options);
    this.path = path;
    this.reason = reason;
  }
}
