import type { Logger } from 'pino';
import { request, type Agent, type Dispatcher, type FormData } from 'undici';
import type { z } from 'zod';
import { createAgent } from '../fetch/agent.js';
import { basicAuthHeader } from '../fetch/basic-auth.js';
import { backoffDelayMs, isRetryableStatus, isTransientNetworkError, parseRetryAfterMs, sleep, type RetryPolicy } from '../fetch/retry.js';
import { apiUrl } from './base-url.js';
import { CablecastAuthError, CablecastHttpError, CablecastNetworkError, CablecastResponseError, bodyExcerpt } from './errors.js';

export interface TransportOptions {
  baseUrl: URL;
  username?: string | undefined;
  password?: string | undefined;
  verifyTls: boolean;
  caFile?: string | undefined;
  timeoutMs: number;
  policy: RetryPolicy;
  /** A Retry-After longer than this is not waited out: the run reports Cablecast unavailable. */
  maxRetryAfterMs: number;
  signal?: AbortSignal | undefined;
}

export interface CablecastRequestBase {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: URLSearchParams;
  json?: unknown;
  form?: FormData;
}

export interface CablecastRequest<T> extends CablecastRequestBase {
  schema: z.ZodType<T>;
}

interface Exchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface SmallFile {
  status: number;
  text: string;
  /** The file was longer than asked for: `text` holds only its start. */
  truncated: boolean;
}

/**
 * HTTP for the Cablecast client: basic auth, timeouts, retries with backoff on network errors,
 * 5xx and 429, JSON parsed through zod. Logs carry method, URL and status, never headers.
 */
export class CablecastTransport {
  private readonly agent: Agent;
  private readonly authorization: string | undefined;

  constructor(
    private readonly options: TransportOptions,
    private readonly log: Logger,
  ) {
    this.agent = createAgent(
      { verifyTls: options.verifyTls, caFile: options.caFile, timeoutMs: options.timeoutMs, settingPrefix: 'cablecast' },
      log,
    );
    this.authorization = options.username === undefined ? undefined : basicAuthHeader(options.username, options.password ?? '');
  }

  async send<T>(req: CablecastRequest<T>): Promise<T> {
    return this.exchange(req, (text, url) => this.parse(req, url, text));
  }

  /** For lookups where "it does not exist" is an answer the caller acts on. */
  async sendOrNull<T>(req: CablecastRequest<T>): Promise<T | null> {
    return this.exchange(
      req,
      (text, url) => this.parse(req, url, text),
      () => null,
    );
  }

  /** For endpoints whose answer we do not use (segment uploads): a 2xx is all that counts. */
  async sendForStatus(req: CablecastRequestBase): Promise<void> {
    await this.exchange(req, () => undefined);
  }

  /**
   * Whether a file beside a VOD exists (200) or not (404), asked on this client's own
   * connection pool; any other answer is an error naming it.
   */
  async fileExists(url: URL): Promise<boolean> {
    const response = await request(url, { method: 'HEAD', dispatcher: this.agent, signal: this.options.signal });
    await response.body.dump();
    if (response.statusCode === 200) return true;
    if (response.statusCode === 404) return false;
    throw new CablecastHttpError('HEAD', url.toString(), response.statusCode, '');
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /**
   * A GET of a small file outside the API (a VOD's playlist), answered with whatever status
   * the file server gives: the caller decides what a 403 or 404 means there. Credentials go
   * only to the API's own origin, never to another host named in a record.
   */
  async fetchSmallFile(url: URL, options: { maxBytes: number; retries: number }): Promise<SmallFile> {
    const display = url.toString();
    const headers: Record<string, string> = {};
    if (this.authorization !== undefined && url.origin === this.options.baseUrl.origin) headers.authorization = this.authorization;
    const exchange = await this.withRetries('GET', display, options.retries, async () => {
      const response = await request(url, { method: 'GET', headers, dispatcher: this.agent, signal: this.options.signal });
      const body = await readCapped(response.body, options.maxBytes);
      return { status: response.statusCode, headers: response.headers, ...body };
    });
    this.log.debug({ method: 'GET', url: display, status: exchange.status }, 'cablecast file request');
    return { status: exchange.status, text: exchange.text, truncated: exchange.truncated };
  }

  private async exchange<T, R = never>(
    req: CablecastRequestBase,
    read: (text: string, url: string) => T,
    notFound?: () => R,
  ): Promise<T | R> {
    const url = apiUrl(this.options.baseUrl, req.path, req.query);
    const display = url.toString();
    const exchange = await this.withRetries(req.method, display, this.options.policy.retries, () => this.once(req, url));
    const { status } = exchange;
    if (status === 401 || status === 403) throw new CablecastAuthError(req.method, display, status);
    if (status === 404 && notFound !== undefined) return notFound();
    if (status < 200 || status >= 300) {
      throw new CablecastHttpError(req.method, display, status, bodyExcerpt(exchange.text));
    }
    return read(exchange.text, display);
  }

  /** Retries network errors, 5xx and 429 (within Retry-After limits); any other answer is returned. */
  private async withRetries<E extends Exchange>(method: string, display: string, retries: number, attempt: () => Promise<E>): Promise<E> {
    for (let tried = 0; ; tried += 1) {
      let exchange: E;
      try {
        exchange = await attempt();
      } catch (error) {
        if (this.options.signal?.aborted === true) throw error;
        if (!isTransientNetworkError(error) || tried >= retries) throw new CablecastNetworkError(method, display, error);
        await this.pause(method, display, tried, undefined, (error as Error).message);
        continue;
      }
      const { status } = exchange;
      this.log.debug({ method, url: display, status, attempt: tried }, 'cablecast request');
      if (isRetryableStatus(status) && tried < retries) {
        const retryAfter = parseRetryAfterMs(headerValue(exchange.headers['retry-after']), Date.now());
        if (retryAfter === undefined || retryAfter <= this.options.maxRetryAfterMs) {
          await this.pause(method, display, tried, retryAfter, `HTTP ${status}`);
          continue;
        }
      }
      return exchange;
    }
  }

  private async once(req: CablecastRequestBase, url: URL): Promise<Exchange> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.authorization !== undefined) headers.authorization = this.authorization;
    let body: string | FormData | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form !== undefined) {
      // undici writes the multipart content type with its boundary; setting one here would break it.
      body = req.form;
    }
    const response = await request(url, {
      method: req.method,
      headers,
      body: body ?? null,
      dispatcher: this.agent,
      signal: this.options.signal ?? null,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }

  private parse<T>(req: CablecastRequest<T>, url: string, text: string): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CablecastResponseError(req.method, url, 'the body is not JSON', bodyExcerpt(text));
    }
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new CablecastResponseError(req.method, url, problems.join('; '), bodyExcerpt(text));
    }
    return parsed.data;
  }

  private async pause(method: string, url: string, attempt: number, retryAfterMs: number | undefined, reason: string): Promise<void> {
    const waitMs = retryAfterMs ?? backoffDelayMs(attempt, this.options.policy);
    this.log.warn({ method, url, attempt: attempt + 1, waitMs, reason }, 'cablecast request failed; retrying');
    await sleep(waitMs, this.options.signal);
  }
}

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    chunks.push(bytes);
    size += bytes.length;
    if (size > maxBytes) {
      body.destroy();
      return { text: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), truncated: true };
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
