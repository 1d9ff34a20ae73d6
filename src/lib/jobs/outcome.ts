import { ArchivistError, errorKind, errorMessage } from '../errors.js';

/** What a step reports for one job: outcomes are data, so the drain records every one the same way. */
export type JobOutcome =
  | { status: 'succeeded'; output?: unknown; /** The recording needs no further step (no speech, say). */ endsChain?: boolean }
  | { status: 'failed'; error: string; permanent: boolean; retryAfterSeconds?: number | undefined }
  /**
   * Not this job's fault (a dependency is down, credentials or settings are wrong): the job is
   * handed back untouched, and its kind, or every kind needing that dependency, waits for the next run.
   */
  | { status: 'deferred'; error: ArchivistError };

export type FailedOutcome = Exclude<JobOutcome, { status: 'succeeded' }>;

/** The one place an error becomes a job outcome (README, "Errors and exit codes"). */
export function outcomeOf(error: unknown): FailedOutcome {
  if (error instanceof ArchivistError && (error.kind === 'usage' || error.kind === 'unavailable')) return { status: 'deferred', error };
  return {
    status: 'failed',
    error: errorMessage(error),
    permanent: errorKind(error) === 'permanent',
    retryAfterSeconds: error instanceof ArchivistError ? error.retryAfterSeconds : undefined,
  };
}
