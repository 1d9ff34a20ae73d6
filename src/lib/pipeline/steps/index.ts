import type { StepHandler } from '../../jobs/drain.js';
import { inClaimOrder, type JobKind } from '../../stages.js';
import type { PipelineDeps } from '../deps.js';
import { captionsStep } from './captions-step.js';
import { fetchStep } from './fetch-step.js';
import { linkStep } from './link-step.js';
import { probeStep } from './probe-step.js';
import { retranscodeStep } from './retranscode-step.js';
import { transcribeStep } from './transcribe-step.js';
import { uploadStep } from './upload-step.js';

/** The step of every kind in the pipeline table; a kind without one does not compile. */
const STEPS: Record<JobKind, (deps: PipelineDeps) => StepHandler> = {
  fetch: fetchStep,
  probe: probeStep,
  transcribe: transcribeStep,
  captions: captionsStep,
  retranscode: (deps) => retranscodeStep(deps),
  upload: (deps) => uploadStep(deps),
  link: linkStep,
};

/** The steps of these kinds, in the order the drain claims them. */
export function pipelineSteps(deps: PipelineDeps, kinds: readonly JobKind[]): StepHandler[] {
  return inClaimOrder(kinds).map((kind) => STEPS[kind](deps));
}
