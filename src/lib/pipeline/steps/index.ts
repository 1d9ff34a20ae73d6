import type { JobKind } from '../../db/schema.js';
import type { StepHandler } from '../../jobs/drain.js';
import type { PipelineDeps } from '../deps.js';
import { captionsStep } from './captions-step.js';
import { fetchStep } from './fetch-step.js';
import { probeStep } from './probe-step.js';
import { transcribeStep } from './transcribe-step.js';

/** Kinds this build can run, latest pipeline step first so items finish before new ones start. */
export const RUNNABLE_KINDS = ['captions', 'transcribe', 'probe', 'fetch'] as const satisfies readonly JobKind[];

export function pipelineSteps(deps: PipelineDeps, kinds: readonly JobKind[] = RUNNABLE_KINDS): StepHandler[] {
  const all: Record<(typeof RUNNABLE_KINDS)[number], () => StepHandler> = {
    captions: () => captionsStep(deps),
    transcribe: () => transcribeStep(deps),
    probe: () => probeStep(),
    fetch: () => fetchStep(deps),
  };
  return RUNNABLE_KINDS.filter((kind) => kinds.includes(kind)).map((kind) => all[kind]());
}
