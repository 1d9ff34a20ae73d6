import { describe, expect, it } from 'vitest';
import { vodReadiness, type VodReadiness } from '../../src/lib/cablecast/index.js';
import type { VodLifecycle } from '../support/cablecast-server.js';
import { useCablecast } from './helpers.js';

const world = useCablecast();

/** Each VOD as the client reads it from the test server, which shapes it as live or older servers do. */
async function readinessOf(lifecycle: VodLifecycle): Promise<VodReadiness> {
  const show = world.server.addShow({ title: `VOD ${lifecycle}` });
  world.server.addVodFile(show.id, Buffer.from('video'), { lifecycle });
  const detail = await world.client().getShow(show.id);
  const vod = detail?.vods[0];
  if (vod === undefined) throw new Error('the VOD was not sideloaded');
  // Whatever the lifecycle, the record carries no file name: readiness never rests on it.
  expect(vod.fileName).toBeNull();
  return vodReadiness(vod);
}

describe('VOD readiness', () => {
  it('is ready on a live record: vodState "complete", isWatchable, lastTransaction null', async () => {
    expect(await readinessOf('complete')).toEqual({ state: 'ready', by: 'vodState' });
  });

  it('is not ready while a live record is processing, and says what it said', async () => {
    const readiness = await readinessOf('processing');
    expect(readiness.state).toBe('processing');
    expect(readiness).toMatchObject({
      reason: expect.stringContaining('vodState "processing", isWatchable false, 40% complete') as unknown,
    });
  });

  it('reads an older record by its last transaction: 5 is published, anything else is not yet', async () => {
    expect(await readinessOf('legacy-published')).toEqual({ state: 'ready', by: 'lastTransaction' });
    expect((await readinessOf('legacy-processing')).state).toBe('processing');
  });

  it('cannot tell from a last transaction named only by id, and says so', async () => {
    const readiness = await readinessOf('legacy-transaction-id');
    expect(readiness.state).toBe('unknown');
    expect(readiness).toMatchObject({ reason: expect.stringContaining('only by id') as unknown });
  });

  it('takes isWatchable alone as ready', () => {
    expect(vodReadiness({ id: 1, show: 2, isWatchable: true, vodState: 'transcoding' })).toEqual({ state: 'ready', by: 'isWatchable' });
    expect(vodReadiness({ id: 1, show: 2 }).state).toBe('unknown');
  });
});
