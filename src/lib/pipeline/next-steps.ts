import type { Config } from '../config.js';
import type { JobKind } from '../db/schema.js';

/**
 * The chain after captions: captions -> [retranscode] -> [upload] -> [link]. Retranscode and
 * upload are opt-in (pipeline.*); linking needs Cablecast. Uploading a rendition needs the
 * rendition first, which is why retranscode comes before upload.
 */
export function stepsAfter(kind: 'captions' | 'retranscode' | 'upload', config: Config): JobKind[] {
  const chain: JobKind[] = [];
  if (config.pipeline.retranscode) chain.push('retranscode');
  if (config.pipeline.upload && config.cablecast) chain.push('upload');
  if (config.cablecast) chain.push('link');
  const from = kind === 'captions' ? 0 : chain.indexOf(kind) + 1;
  const next = chain[from];
  return next ? [next] : [];
}
