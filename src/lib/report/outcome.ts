import type { JobKind, JobState, LinkState } from '../db/schema.js';
import { JOB_KINDS } from '../stages.js';
import type { Outcome } from './model.js';

export interface OutcomeJob {
  id: number;
  kind: JobKind;
  state: JobState;
  lastError: string | null;
  runAfter: Date;
}

export interface OutcomeInput {
  mediaId: number;
  jobs: readonly OutcomeJob[];
  noSpeech: boolean | null;
  link: { state: LinkState; lastError: string | null } | null;
  now: Date;
}

export interface OutcomeResult {
  outcome: Outcome;
  step: JobKind | null;
  reason: string | null;
  jobId: number | null;
  retryAt: Date | null;
  pending: JobKind[];
}

function inChainOrder(jobs: readonly OutcomeJob[]): OutcomeJob[] {
  return [...jobs].sort((a, b) => JOB_KINDS.indexOf(a.kind) - JOB_KINDS.indexOf(b.kind));
}

/**
 * What happened to one recording, from its jobs, its transcript's captions report and its
 * link: the worst thing first, since that is what a person must act on.
 */
export function recordingOutcome(input: OutcomeInput): OutcomeResult {
  const jobs = inChainOrder(input.jobs);
  const pending = jobs.filter((j) => j.state === 'queued' || j.state === 'running').map((j) => j.kind);
  const result = (outcome: Outcome, job: OutcomeJob | undefined, reason: string | null, retryAt: Date | null = null): OutcomeResult => ({
    outcome,
    step: job?.kind ?? null,
    reason,
    jobId: job?.id ?? null,
    retryAt,
    pending,
  });

  const dead = jobs.find((j) => j.state === 'dead');
  if (dead) return result('failed', dead, dead.lastError ?? 'failed (no reason was recorded)');
  const retrying = jobs.find((j) => j.state === 'queued' && j.lastError !== null);
  if (retrying) return result('retrying', retrying, retrying.lastError, retrying.runAfter);
  if (input.link?.state === 'needs_review') {
    return result(
      'needs-review',
      jobs.find((j) => j.kind === 'link'),
      `${input.link.lastError ?? 'no Cablecast show matched well enough'}; link it by hand: ` +
        `archivist link-queue --link media:${input.mediaId} --show <show id>`,
    );
  }
  const captions = jobs.find((j) => j.kind === 'captions' && j.state === 'succeeded');
  if (captions && input.noSpeech === true)
    return result('no-speech', captions, 'the transcript had no speech to caption: no files written');
  const running = jobs.find((j) => j.state === 'running');
  if (running && !captions) return result('running', running, null);
  if (captions) return result('captioned', captions, null);
  const queued = jobs.find((j) => j.state === 'queued');
  if (queued) {
    const later = queued.runAfter.getTime() > input.now.getTime();
    return result('waiting', queued, later ? `queued; runs after ${queued.runAfter.toISOString()}` : 'queued for the next run', null);
  }
  const cancelled = jobs.find((j) => j.state === 'cancelled');
  if (cancelled) return result('cancelled', cancelled, cancelled.lastError ?? 'cancelled');
  return result('waiting', undefined, 'no step has been queued yet');
}
