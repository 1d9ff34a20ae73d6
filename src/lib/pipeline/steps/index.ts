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
export const RUNNABLE_KINDS = ['link', 'upload', 'retranscode', 'captions', 'probe', 'transcribe', 'fetch'] as const satisfies readonly JobKind[];

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
