type State = 'size' | 'extension' | 'size-lf' | 'data' | 'data-cr' | 'data-lf' | 'trailer-start' | 'trailer' | 'end-lf' | 'done';

const CR = 0x0d;
const LF = 0x0a;
/** 13 hex digits are 2^52: more than any file, and still exact in a number. */
const maxSizeDigits = 13;

/**
 * Decodes `Transfer-Encoding: chunked` (RFC 9112 §7.1) in place, as the bytes arrive in any
 * pieces: the data bytes are moved down over the framing, so a body needs no second buffer.
 * Extensions and trailer fields are skipped.
 */
export class ChunkedDecoder {
  private state: State = 'size';
  private size = 0;
  private digits = 0;
  private remaining = 0;

  /** The last chunk and the trailers have been read; bytes after them are not the body's. */
  get done(): boolean {
    return this.state === 'done';
  }

  /**
   * Takes the raw bytes `buffer[from, to)` and leaves the data among them at
   * `buffer[from, from + n)`, returning n. Throws on framing that is not chunked encoding.
   */
  decode(buffer: Uint8Array, from: number, to: number): number {
    let out = from;
    let i = from;
    while (i < to && this.state !== 'done') {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, to - i);
        if (out !== i) buffer.copyWithin(out, i, i + take);
        out += take;
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-cr';
        continue;
      }
      this.step(buffer[i] ?? 0);
      i += 1;
    }
    return out - from;
  }

  private step(byte: number): void {
    switch (this.state) {
      case 'size': {
        const digit = hexValue(byte);
        if (digit !== undefined) {
          this.digits += 1;
          if (this.digits > maxSizeDigits) throw new Error('chunked body: chunk size too large');
          this.size = this.size * 16 + digit;
        } else if (this.digits === 0) {
          throw new Error('chunked body: expected a chunk size');
        } else if (byte === CR) {
          this.state = 'size-lf';
        } else if (byte === LF) {
          this.endSizeLine();
        } else {
          this.state = 'extension';
        }
        return;
      }
      case 'extension':
        if (byte === LF) this.endSizeLine();
        return;
      case 'size-lf':
        if (byte !== LF) throw new Error('chunked body: expected LF after the chunk size');
        this.endSizeLine();
        return;
      case 'data-cr':
        if (byte === LF) this.state = 'size';
        else if (byte === CR) this.state = 'data-lf';
        else throw new Error('chunked body: expected CRLF after chunk data');
        return;
      case 'data-lf':
        if (byte !== LF) throw new Error('chunked body: expected CRLF after chunk data');
        this.state = 'size';
        return;
      case 'trailer-start':
        if (byte === CR) this.state = 'end-lf';
        else if (byte === LF) this.state = 'done';
        else this.state = 'trailer';
        return;
      case 'trailer':
        if (byte === LF) this.state = 'trailer-start';
        return;
      case 'end-lf':
        if (byte !== LF) throw new Error('chunked body: expected LF at the end of the trailers');
        this.state = 'done';
        return;
      case 'data':
      case 'done':
        return;
    }
  }

  private endSizeLine(): void {
    this.remaining = this.size;
    this.state = this.size === 0 ? 'trailer-start' : 'data';
    this.size = 0;
    this.digits = 0;
  }
}

function hexValue(byte: number): number | undefined {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return undefined;
}
