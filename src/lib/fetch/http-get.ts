import { connect as connectTcp, isIP, type OnReadOpts, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { ChunkedDecoder } from './chunked-decoder.js';
import { bodyFraming, parseResponseHead, type BodyFraming, type ResponseHead } from './response-head.js';
import type { TlsConnectOptions } from './tls-options.js';

/**
 * A GET over HTTP/1.1 for big downloads, reading the socket into a few fixed 1 MiB slabs
 * (net's `onread`) instead of a new buffer per read: memory stays at the slabs whatever the
 * file's size or the disk's speed, and nothing is left for the garbage collector. (undici
 * allocates 64 KiB per socket read; V8 frees those only when their total passes its external
 * memory limit, which cost about 70 MiB of peak RSS for one download.) One request per
 * connection (`connection: close`), so a body may also end with the connection.
 */

const slabBytes = 1 << 20;
/** One being filled, two waiting for or in the disk write: reading stops while all are taken. */
const slabCount = 3;

export interface HttpGetOptions {
  headers: Readonly<Record<string, string>>;
  tls: TlsConnectOptions;
  /** Longest silence allowed while connecting, waiting for the head, or between body bytes. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface HttpResponse extends ResponseHead {
  /**
   * Hands the body to `sink` in order, one slab at a time; the slab is reused once the sink's
   * promise resolves, and reading waits while every slab is with it. Resolves when the body
   * ended; rejects, after `sink` has had every byte that arrived, when the connection failed.
   */
  readBody(sink: (data: Buffer) => Promise<void>): Promise<void>;
  /** Drops the rest of the response (and the connection). */
  close(): void;
}

/** A transport failure, coded like the errno it amounts to, so retry.ts can judge it. */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    readonly code: 'ECONNRESET' | 'ETIMEDOUT',
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

export function httpGet(url: URL, options: HttpGetOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    new Exchange(url, options, resolve, reject).start();
  });
}

interface Filled {
  slab: Buffer;
  bytes: number;
}

class Exchange {
  private readonly free: Buffer[] = Array.from({ length: slabCount - 1 }, () => Buffer.allocUnsafeSlow(slabBytes));
  private current: Buffer = Buffer.allocUnsafeSlow(slabBytes);
  /** Bytes of `current` in use: the head so far, then body data. */
  private fill = 0;
  private readonly filled: Filled[] = [];
  private phase: 'head' | 'body' | 'ended' = 'head';
  private framing: BodyFraming = { kind: 'none' };
  private lengthLeft = 0;
  private readonly chunked = new ChunkedDecoder();
  private sink: ((data: Buffer) => Promise<void>) | undefined;
  private sinkBusy = false;
  private failure: unknown;
  private settleBody: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private readonly socket: Socket;
  private reading = true;
  private readonly onAbort = (): void => {
    this.fail(this.options.signal?.reason ?? new Error('aborted'));
  };

  constructor(
    private readonly url: URL,
    private readonly options: HttpGetOptions,
    private readonly resolveHead: (response: HttpResponse) => void,
    private readonly rejectHead: (error: unknown) => void,
  ) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const onread: OnReadOpts = {
      buffer: (): Buffer => this.current.subarray(this.fill),
      callback: (bytes: number): boolean => this.received(bytes),
    };
    if (url.protocol === 'https:') {
      // tls.connect takes onread as net.connect does (Node's tls documentation); @types/node 20
      // does not list it.
      const tlsOptions: ConnectionOptions & { onread: OnReadOpts } = {
        host,
        port: Number(url.port || 443),
        ...(isIP(host) === 0 ? { servername: host } : {}),
        ALPNProtocols: ['http/1.1'],
        ...options.tls,
        onread,
      };
      this.socket = connectTls(tlsOptions);
    } else {
      this.socket = connectTcp({ host, port: Number(url.port || 80), onread });
    }
  }

  start(): void {
    const { socket, url, options } = this;
    if (options.signal?.aborted === true) {
      this.onAbort();
      return;
    }
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    socket.setTimeout(options.timeoutMs, () => {
      this.fail(new HttpTransportError(`no answer from ${url.host} for ${String(Math.round(options.timeoutMs / 1000))} s`, 'ETIMEDOUT'));
    });
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, 'connection: close'];
      for (const [name, value] of Object.entries(options.headers)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('error', (error) => {
      this.fail(error);
    });
    socket.on('close', () => {
      this.connectionClosed();
    });
  }

  /** onread's callback: `bytes` more at `current[fill]`. Returning false stops reading. */
  private received(bytes: number): boolean {
    if (this.phase === 'head') {
      this.fill += bytes;
      this.readHead(bytes);
    } else if (this.phase === 'body') {
      this.takeBody(this.fill, this.fill + bytes);
    }
    return this.shouldRead();
  }

  private readHead(bytes: number): void {
    for (;;) {
      const end = this.current.subarray(0, this.fill).indexOf('\r\n\r\n', Math.max(0, this.fill - bytes - 3));
      if (end < 0) {
        if (this.fill === slabBytes) this.fail(new Error(`the response head from ${this.url.host} is larger than 1 MiB`));
        return;
      }
      let head: ResponseHead;
      let framing: BodyFraming;
      try {
        head = parseResponseHead(this.current.toString('latin1', 0, end));
        framing = bodyFraming(head);
      } catch (error) {
        this.fail(error);
        return;
      }
      const rest = this.fill - (end + 4);
      this.current.copyWithin(0, end + 4, this.fill);
      this.fill = 0;
      // 1xx answers (103 Early Hints) come before the real one.
      if (head.statusCode < 200) {
        this.fill = rest;
        bytes = rest;
        continue;
      }
      this.phase = 'body';
      this.framing = framing;
      this.lengthLeft = framing.kind === 'length' ? framing.bytes : 0;
      if (framing.kind === 'none' || (framing.kind === 'length' && framing.bytes === 0)) this.endBody();
      else this.takeBody(0, rest);
      this.resolveHead({
        ...head,
        readBody: (sink) => this.readBody(sink),
        close: () => {
          this.close();
        },
      });
      return;
    }
  }

  /** Raw body bytes at `current[from, to)`: framing taken out, data kept from `fill` on. */
  private takeBody(from: number, to: number): void {
    let end = to;
    if (this.framing.kind === 'length') {
      end = from + Math.min(this.lengthLeft, to - from);
      this.lengthLeft -= end - from;
    } else if (this.framing.kind === 'chunked') {
      try {
        end = from + this.chunked.decode(this.current, from, to);
      } catch (error) {
        this.fail(error);
        return;
      }
    }
    this.fill = end;
    const complete = (this.framing.kind === 'length' && this.lengthLeft === 0) || (this.framing.kind === 'chunked' && this.chunked.done);
    if (complete) {
      this.endBody();
      return;
    }
    if (this.fill === slabBytes) {
      this.filled.push({ slab: this.current, bytes: this.fill });
      // Reading stops (shouldRead) once the last free slab is taken; should a read come anyway,
      // a new slab is better than lost bytes.
      this.current = this.free.pop() ?? Buffer.allocUnsafeSlow(slabBytes);
      this.fill = 0;
      this.pump();
    }
  }

  private shouldRead(): boolean {
    const wanted = this.phase === 'head' || (this.phase === 'body' && this.sink !== undefined && this.free.length > 0);
    // Waiting for the disk is not the server's silence.
    if (wanted !== this.reading && !this.socket.destroyed) this.socket.setTimeout(wanted ? this.options.timeoutMs : 0);
    this.reading = wanted;
    return wanted;
  }

  private resumeIfWanted(): void {
    if (!this.reading && this.shouldRead() && !this.socket.destroyed) this.socket.resume();
  }

  private endBody(): void {
    this.phase = 'ended';
    if (this.fill > 0) this.filled.push({ slab: this.current, bytes: this.fill });
    this.fill = 0;
    this.socket.destroy();
    this.pump();
  }

  private connectionClosed(): void {
    if (this.phase === 'head') {
      this.fail(new HttpTransportError(`${this.url.host} closed the connection before answering`, 'ECONNRESET'));
    } else if (this.phase === 'body') {
      if (this.framing.kind === 'until-close') {
        this.endBody();
      } else {
        const left = this.framing.kind === 'length' ? ` with ${String(this.lengthLeft)} bytes still to come` : ' before the last chunk';
        this.fail(new HttpTransportError(`${this.url.host} closed the connection${left}`, 'ECONNRESET'));
      }
    }
  }

  /** Ends the exchange with `error`; whatever body already arrived still goes to the sink first. */
  private fail(error: unknown): void {
    if (this.failure !== undefined || (this.phase === 'ended' && this.filled.length === 0 && !this.sinkBusy)) return;
    this.failure = error;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
    if (this.phase === 'head') {
      this.phase = 'ended';
      this.rejectHead(error);
      return;
    }
    if (this.phase === 'body' && this.fill > 0) this.filled.push({ slab: this.current, bytes: this.fill });
    this.fill = 0;
    this.phase = 'ended';
    this.pump();
  }

  private readBody(sink: (data: Buffer) => Promise<void>): Promise<void> {
    if (this.sink !== undefined) return Promise.reject(new Error('the body is already being read'));
    this.sink = sink;
    return new Promise((resolve, reject) => {
      this.settleBody = { resolve, reject };
      this.pump();
      this.resumeIfWanted();
    });
  }

  private close(): void {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.phase = 'ended';
    this.filled.length = 0;
    this.socket.destroy();
  }

  /** Gives the sink the next filled slab, or settles the body once all are through. */
  private pump(): void {
    const { sink } = this;
    if (sink === undefined || this.sinkBusy) return;
    const next = this.filled.shift();
    if (next === undefined) {
      if (this.phase !== 'ended') return;
      this.options.signal?.removeEventListener('abort', this.onAbort);
      if (this.failure === undefined) this.settleBody?.resolve();
      else this.settleBody?.reject(this.failure);
      this.settleBody = undefined;
      return;
    }
    this.sinkBusy = true;
    sink(next.slab.subarray(0, next.bytes)).then(
      () => {
        this.sinkBusy = false;
        this.free.push(next.slab);
        this.resumeIfWanted();
        this.pump();
      },
      (error: unknown) => {
        this.sinkBusy = false;
        this.filled.length = 0;
        // The sink's own failure (a full disk) is what the caller hears, not a transport error.
        this.failure = error;
        this.phase = 'ended';
        this.socket.destroy();
        this.pump();
      },
    );
  }
}
