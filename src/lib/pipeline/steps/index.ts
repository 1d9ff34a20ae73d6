import type { StepHandler } from '../../jobs/drain.js';
import { inClaimOrder, type JobKind } from '../../stages.js';
import type { PipelineDeps } from '../deps.js';

type StepFactory = (deps: PipelineDeps) => StepHandler;

/**
 * The step of every kind in the pipeline table; a kind without one does not compile. Each is
 * loaded only when asked for: a run of some steps (`--steps fetch`) does not carry the code of
 * the others (execa and the engines, ffmpeg, captions, Cablecast uploads) through its work.
 */
const STEPS: Record<JobKind, () => Promise<StepFactory>> = {
  fetch: async () => (await import('./fetch-step.js')).fetchStep,
  probe: async () => (await import('./probe-step.js')).probeStep,
  transcribe: async () => (await import('./transcribe-step.js')).transcribeStep,
  captions: async () => (await import('./captions-step.js')).captionsStep,
  retranscode: async () => {
    const { retranscodeStep } = await import('./retranscode-step.js');
    return (deps) => retranscodeStep(deps);
  },
  upload: async () => {
    const { uploadStep } = await import('./upload-step.js');
    return (deps) => uploadStep(deps);
  },
  link: async () => (await import('./link-step.js')).linkStep,
};

/** The steps of these kinds, in the order the drain claims them. */
export async function pipelineSteps(deps: PipelineDeps, kinds: readonly JobKind[]): Promise<StepHandler[]> {
  return Promise.all(inClaimOrder(kinds).map(async (kind) => (await STEPS[kind]())(deps)));
}
