import type { JobKind } from '../db/schema.js';
import type { ArchivistError, Dependency } from '../errors.js';

/** A kind, or every kind needing a dependency, that waited for the next run, and why (once). */
export interface Deferral {
  dependency: Dependency | null;
  kinds: JobKind[];
  /** Work other than queued jobs left for the next run for the same reason ("Cablecast VOD discovery"). */
  work: readonly string[];
  reason: string;
  /** What to check, one line each (the error's own hints). */
  problems: readonly string[];
  /** 2 when a person must fix something (credentials, settings), 3 when a dependency is down. */
  exitCode: number;
}

/** What a step is, as far as deferring it goes. */
export interface DeferrableStep {
  kind: JobKind;
  needs: readonly Dependency[];
}

/**
 * The deferral an error implies: the kind that met it (if any) and every kind needing the
 * same dependency; every kind when it is the job database, which they all need.
 */
export function deferralOf(
  error: ArchivistError,
  steps: readonly DeferrableStep[],
  options: { kind?: JobKind; work?: readonly string[] } = {},
): Deferral {
  const dependency = error.dependency ?? null;
  const kinds = steps
    .filter((s) => s.kind === options.kind || dependency === 'database' || (dependency !== null && s.needs.includes(dependency)))
    .map((s) => s.kind);
  return { dependency, kinds, work: options.work ?? [], reason: error.message, problems: error.problems, exitCode: error.exitCode };
}

/** Whether a deferral already leaves this step for the next run. */
export function defers(deferral: Deferral, step: DeferrableStep): boolean {
  return (
    deferral.kinds.includes(step.kind) ||
    deferral.dependency === 'database' ||
    (deferral.dependency !== null && step.needs.includes(deferral.dependency))
  );
}

/** "fetch, upload, link" or "Cablecast VOD discovery, fetch": what waits, for a person. */
export function describeDeferred(deferral: Pick<Deferral, 'kinds' | 'work'>): string {
  return [...deferral.work, ...deferral.kinds].join(', ') || 'nothing';
}
