import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContentRange, parseUnsatisfiedRange } from '../../src/lib/fetch/content-range.js';
import { redactUrl } from '../../src/lib/text/redact-secrets.js';
import { backoffDelayMs, isTransientNetworkError, parseRetryAfterMs } from '../../src/lib/fetch/retry.js';

describe('backoffDelayMs', () => {
  it('stays within [ceiling/2, ceiling] and the ceiling grows then caps', () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 2000 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(2000, 100 * 2 ** attempt);
        const delay = backoffDelayMs(attempt, policy, () => r);
        return delay >= ceiling / 2 - 1 && delay <= ceiling;
      }),
    );
  });
});

describe('parseRetryAfterMs', () => {
  it('reads seconds and HTTP dates and ignores junk', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('content ranges', () => {
  it('parses valid ranges and rejects inconsistent ones', () => {
    expect(parseContentRange('bytes 10-19/100')).toEqual({ start: 10, end: 19, total: 100 });
    expect(parseContentRange('bytes 10-19/*')).toEqual({ start: 10, end: 19, total: undefined });
    expect(parseContentRange('bytes 20-19/100')).toBeUndefined();
    expect(parseContentRange('bytes 10-100/100')).toBeUndefined();
    expect(parseContentRange('items 1-2/3')).toBeUndefined();
    expect(parseUnsatisfiedRange('bytes */4096')).toBe(4096);
  });
});

describe('network errors', () => {
  it('retries transient transport failures, not certificate or lookup failures', () => {
    expect(isTransientNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientNetworkError(new Error('fetch failed', { cause: Object.assign(new Error('y'), { code: 'UND_ERR_SOCKET' }) }))).toBe(
      true,
    );
    expect(isTransientNetworkError(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))).toBe(false);
    expect(isTransientNetworkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toBe(false);
  });
});

describe('redactUrl', () => {
  it('hides credentials embedded in a VOD address, and a password in its query', () => {
    expect(redactUrl('https://user:pw@host/vod.mp4')).toBe('https://user:redacted@host/vod.mp4');
    expect(redactUrl(new URL('https://host/vod.mp4?password=hunter22&x=1'))).toBe('https://host/vod.mp4?password=redacted&x=1');
  });
});
