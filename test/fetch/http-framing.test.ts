import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkedDecoder } from '../../src/lib/fetch/chunked-decoder.js';
import { bodyFraming, parseResponseHead } from '../../src/lib/fetch/response-head.js';

/** Feeds `wire` to a decoder cut at `cuts`, each piece where a socket read would put it. */
function decodeInPieces(wire: Buffer, cuts: number[]): { data: Buffer; done: boolean } {
  const decoder = new ChunkedDecoder();
  const buffer = Buffer.from(wire);
  const bounds = [...new Set([0, ...cuts.map((c) => c % (wire.length + 1)), wire.length])].sort((a, b) => a - b);
  const kept: Buffer[] = [];
  for (let i = 1; i < bounds.length; i += 1) {
    const from = bounds[i - 1] ?? 0;
    const n = decoder.decode(buffer, from, bounds[i] ?? 0);
    kept.push(Buffer.from(buffer.subarray(from, from + n)));
  }
  return { data: Buffer.concat(kept), done: decoder.done };
}

function chunked(pieces: Buffer[], { extensions = false, trailers = false } = {}): Buffer {
  const parts = pieces.flatMap((p) => [
    Buffer.from(`${p.length.toString(16)}${extensions ? ';name=value' : ''}\r\n`),
    p,
    Buffer.from('\r\n'),
  ]);
  return Buffer.concat([...parts, Buffer.from(`0\r\n${trailers ? 'x-checksum: abc\r\n' : ''}\r\n`)]);
}

describe('ChunkedDecoder', () => {
  it('gives back exactly the chunks, however the bytes are cut into reads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        (chunks, cuts, extensions, trailers) => {
          const pieces = chunks.map((c) => Buffer.from(c));
          const result = decodeInPieces(Buffer.concat([chunked(pieces, { extensions, trailers }), Buffer.from('next response')]), cuts);
          expect(result.done).toBe(true);
          expect(result.data.equals(Buffer.concat(pieces))).toBe(true);
        },
      ),
    );
  });

  it('is not done before the last chunk, and refuses what is not chunked encoding', () => {
    expect(decodeInPieces(Buffer.from('5\r\nhello\r\n'), []).done).toBe(false);
    expect(() => decodeInPieces(Buffer.from('<html>'), [])).toThrow(/expected a chunk size/);
    expect(() => decodeInPieces(Buffer.from('5\r\nhelloX'), [])).toThrow(/CRLF after chunk data/);
    expect(() => decodeInPieces(Buffer.from('fffffffffffffff\r\n'), [])).toThrow(/too large/);
  });
});

describe('response heads', () => {
  it('reads the status and the fields by lower-case name, joining repeated ones', () => {
    const head = parseResponseHead('HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 5-9/10\r\nVia: a\r\nvia: b');
    expect(head).toEqual({ statusCode: 206, headers: { 'content-range': 'bytes 5-9/10', via: 'a, b' } });
    expect(parseResponseHead('HTTP/1.0 200').statusCode).toBe(200);
  });

  it('names a line that is not HTTP', () => {
    expect(() => parseResponseHead('SSH-2.0-OpenSSH_9.2')).toThrow(/not an HTTP\/1.1 status line: "SSH-2.0/);
    expect(() => parseResponseHead('HTTP/1.1 200 OK\r\nno colon here')).toThrow(/malformed header line: "no colon here"/);
  });

  it('frames the body by Transfer-Encoding, then Content-Length, else the connection', () => {
    const framing = (statusCode: number, headers: Record<string, string>): ReturnType<typeof bodyFraming> =>
      bodyFraming({ statusCode, headers });
    expect(framing(200, { 'transfer-encoding': 'gzip, chunked', 'content-length': '10' })).toEqual({ kind: 'chunked' });
    expect(framing(200, { 'content-length': '10, 10' })).toEqual({ kind: 'length', bytes: 10 });
    expect(framing(200, {})).toEqual({ kind: 'until-close' });
    expect(framing(204, { 'content-length': '10' })).toEqual({ kind: 'none' });
    expect(() => framing(200, { 'content-length': '10, 11' })).toThrow(/invalid Content-Length/);
    expect(() => framing(200, { 'content-length': '-1' })).toThrow(/invalid Content-Length/);
  });
});
