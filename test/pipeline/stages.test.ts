import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/lib/config/schema.js';
import {
  MEDIA_SOURCES,
  VIDEO_READERS,
  firstKind,
  kindsToCaptions,
  nextKinds,
  type JobKind,
  type MediaSource,
  type PipelineSettings,
} from '../../src/lib/stages.js';

/** The defaults, and every opt-in stage switched on (Cablecast configured, renditions, uploads). */
const SETTINGS: Record<string, PipelineSettings> = {
  defaults: configSchema.parse({}),
  everything: configSchema.parse({ cablecast: { url: 'http://cablecast.test' }, pipeline: { retranscode: true, upload: true } }),
};

/** A recording's chain as the jobs queue it: each success queues nextKinds, up to captions. */
function chainToCaptions(source: MediaSource, settings: PipelineSettings): JobKind[] {
  let kind = firstKind(source);
  const chain = [kind];
  while (kind !== 'captions') {
    const [next] = nextKinds(kind, settings);
    if (next === undefined) throw new Error(`the chain of a ${source} recording ends at ${kind}, before captions`);
    chain.push((kind = next));
  }
  return chain;
}

describe('the pipeline table', () => {
  it('takes a file on the command line or on a share through probe, transcribe and captions, and a VOD through fetch first', () => {
    for (const settings of Object.values(SETTINGS)) {
      expect(kindsToCaptions('file', settings)).toEqual(['probe', 'transcribe', 'captions']);
      expect(kindsToCaptions('share', settings)).toEqual(['probe', 'transcribe', 'captions']);
      expect(kindsToCaptions('cablecast', settings)).toEqual(['fetch', 'probe', 'transcribe', 'captions']);
    }
  });

  it('names in kindsToCaptions the jobs a recording is queued on its way to captions', () => {
    for (const [name, settings] of Object.entries(SETTINGS)) {
      for (const source of MEDIA_SOURCES) {
        expect(kindsToCaptions(source, settings), `${source}, ${name}`).toEqual(chainToCaptions(source, settings));
      }
    }
  });

  it('says fetch, probe, transcribe and retranscode read the video; captions, upload and link do not', () => {
    expect(VIDEO_READERS).toEqual(['fetch', 'probe', 'transcribe', 'retranscode']);
  });
});
