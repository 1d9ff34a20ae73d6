import type { Config } from '../../config.js';
import type { JobKind } from '../../db/schema.js';
import type { StepHandler } from '../../jobs/drain.js';
import type { PipelineDeps } from '../deps.js';
import { captionsStep } from './captions-step.js';
import { fetchStep } from './fetch-step.js';
import { linkStep } from './link-step.js';
import { probeStep } from './probe-step.js';
import { retranscodeStep } from './retranscode-step.js';
import { transcribeStep } from './transcribe-step.js';
import { uploadStep } from './upload-step.js';

/**
 * Kinds this build can run, in the order they are claimed: later pipeline steps first, so
 * items finish before new ones start; except that every runnable probe goes before any
 * transcription, so that the files waiting for the engine share one run (one model load).
 */
export const RUNNABLE_KINDS = [
  'link',
  'upload',
  'retranscode',
  'captions',
  'probe',
  'transcribe',
  'fetch',
] as const satisfies readonly JobKind[];

/** Steps that talk to Cablecast (fetch only runs for media that came from Cablecast). */
const NEEDS_CABLECAST: readonly JobKind[] = ['link', 'upload', 'fetch'];

/**
 * The kinds a run can take on with this configuration: without Cablecast, its steps are left
 * queued (and reported as skipped) instead of stopping the whole run as unavailable.
 */
export function runnableKinds(config: Config, kinds: readonly JobKind[] = RUNNABLE_KINDS): { run: JobKind[]; skipped: JobKind[] } {
  if (config.cablecast) return { run: [...kinds], skipped: [] };
  return { run: kinds.filter((k) => !NEEDS_CABLECAST.includes(k)), skipped: kinds.filter((k) => NEEDS_CABLECAST.includes(k)) };
}

export function pipelineSteps(deps: PipelineDeps, kinds: readonly JobKind[] = RUNNABLE_KINDS): StepHandler[] {
  const all: Record<(typeof RUNNABLE_KINDS)[number], () => StepHandler> = {
    link: () => linkStep(deps),
    upload: () => uploadStep(deps),
    retranscode: () => retranscodeStep(deps),
    captions: () => captionsStep(deps),
    transcribe: () => transcribeStep(deps),
    probe: () => probeStep(),
    fetch: () => fetchStep(deps),
  };
  return RUNNABLE_KINDS.filter((kind) => kinds.includes(kind)).map((kind) => all[kind]());
}
