import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pendingSegments, segmentCount, segmentRange } from '../../src/lib/upload/segments.js';
import { continuesUpload, parseUploadState, type UploadState } from '../../src/lib/upload/upload-state.js';

describe('segments', () => {
  it('cover the file exactly, in order, without overlap', () => {
    fc.assert(
      // At most ~1,000 segments a case, so the property checks shapes, not loop speed.
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 5_000, max: 3_000_000 }), (size, segmentBytes) => {
        const count = segmentCount(size, segmentBytes);
        let next = 0;
        for (let i = 0; i < count; i += 1) {
          const { position, length } = segmentRange(i, size, segmentBytes);
          expect(position).toBe(next);
          expect(length).toBeLessThanOrEqual(segmentBytes);
          if (size > 0) expect(length).toBeGreaterThan(0);
          next += length;
        }
        expect(next).toBe(size);
      }),
    );
  });

  it('an empty file is one empty segment', () => {
    expect(segmentCount(0, 5)).toBe(1);
    expect(segmentRange(0, 0, 5)).toEqual({ position: 0, length: 0 });
  });

  it('pending segments are the unacknowledged ones in file order', () => {
    expect(pendingSegments(6, [3, 0, 1])).toEqual([2, 4, 5]);
    expect(pendingSegments(2, [0, 1])).toEqual([]);
  });
});

describe('upload state', () => {
  const state: UploadState = {
    what: 'sidecar',
    path: '/o/m.scc',
    fileName: 'm.scc',
    store: 1,
    size: 10,
    sha256: 'a'.repeat(64),
    segmentBytes: 5,
    totalSegments: 2,
    uploadId: 7,
    acked: [0],
    finished: false,
    assetId: null,
  };

  it('reads back what was saved, and nothing from other outputs', () => {
    expect(parseUploadState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(parseUploadState(null)).toBeUndefined();
    expect(parseUploadState({ what: 'sidecar', skipped: 'someone else' })).toBeUndefined();
  });

  it('continues only the same bytes to the same place cut the same way', () => {
    const facts = { fileName: 'm.scc', store: 1, size: 10, sha256: 'a'.repeat(64), segmentBytes: 5 };
    expect(continuesUpload(state, facts)).toBe(true);
    expect(continuesUpload(state, { ...facts, sha256: 'b'.repeat(64) })).toBe(false);
    expect(continuesUpload(state, { ...facts, store: 2 })).toBe(false);
    expect(continuesUpload(state, { ...facts, segmentBytes: 6 })).toBe(false);
  });

  it('keeps a finished upload after upload.segmentMiB changed, so it is not sent twice', () => {
    const facts = { fileName: 'm.scc', store: 1, size: 10, sha256: 'a'.repeat(64), segmentBytes: 6 };
    const finished: UploadState = { ...state, acked: [0, 1], finished: true, assetId: 9 };
    expect(continuesUpload(finished, facts)).toBe(true);
    expect(continuesUpload(finished, { ...facts, sha256: 'b'.repeat(64) })).toBe(false);
  });
});
