import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { UnavailableError, UsageError, TransientError, errorMessage } from '../errors.js';
import { TargetExistsError, renameIntoPlace } from '../fs/atomic.js';
import { hashFileInto, sha256File } from '../fs/file-sha256.js';
import { confinedPath } from '../fs/safe-path.js';
import { httpGet, type HttpResponse } from './http-get.js';
import { tlsConnectOptions, type TlsConnectOptions } from './tls-options.js';
import { parseContentLength, parseContentRange, parseUnsatisfiedRange } from './content-range.js';
import { mayReceiveCredentials, type CredentialScope } from './credential-scope.js';
import { redactUrl } from '../text/redact-secrets.js';
import { basicAuthHeader } from './basic-auth.js';
import {
  backoffDelayMs,
  defaultRetryPolicy,
  isRetryableStatus,
  isTransientNetworkError,
  maxRetryAfterMs,
  parseRetryAfterMs,
  sleep,
  type RetryPolicy,
} from './retry.js';

/** Where a download goes: `name` (from outside data, may hold subdirectories) confined to `root`. */
export interface DownloadTarget {
  root: string;
  name: string;
}

export interface DownloadOptions {
  url: string;
  /**
   * Root and name, checked to stay inside the root; bytes land in `<name>.part` until the whole
   * file is there and synced. A file already at the final path is replaced only when
   * `replaceOurs` says it is ours, or when it already holds exactly the downloaded bytes.
   */
  dest: DownloadTarget;
  replaceOurs?: boolean | undefined;
  /**
   * Sent only where `mayReceiveCredentials` allows (the configured origin; HTTPS media hosts the
   * operator listed), on the first request and on every redirect.
   */
  auth?: ({ username: string; password: string } & CredentialScope) | undefined;
  verifyTls: boolean;
  caFile?: string | undefined;
  signal?: AbortSignal | undefined;
  log: Logger;
  /** Consecutive failed attempts (without any new bytes) tolerated before giving up. */
  retries?: number | undefined;
  /** Longest silence allowed while waiting for headers or between body chunks. */
  timeoutMs?: number | undefined;
  retryBaseDelayMs?: number | undefined;
  /** Config section named in TLS warnings; VOD files come from Cablecast. */
  settingPrefix?: string | undefined;
}

export interface DownloadResult {
  path: string;
  size: number;
  sha256: string;
  /** Byte offset the completing request started from (0 when nothing had to be resumed). */
  resumedFrom: number;
}

interface Progress {
  size: number;
  hash: Hash;
  /** Bytes written during this call; unlike size it never goes back on a restart. */
  received: number;
}

/** How every request of one download connects: the TLS decision, made once, and the timeout. */
interface Connection {
  tls: TlsConnectOptions;
  timeoutMs: number;
}

type AttemptOutcome =
  { kind: 'complete'; startedFrom: number } | { kind: 'retry'; reason: string; delayMs?: number | undefined; restart?: boolean };

/** Redirects followed within one attempt before the server is taken to be misconfigured. */
const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * Streams `url` to `<dest>.part`, resuming with Range after interruptions (in this call or a
 * previous process), hashing as it goes, then fsyncs and renames. Memory use is bounded by
 * http-get's three 1 MiB slabs whatever the file's size or the disk's speed.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { root, name } = options.dest;
  const dest = await confinedPath(root, name);
  await mkdir(dirname(dest), { recursive: true });
  const part = await confinedPath(root, `${name}.part`);
  const url = redactUrl(options.url);
  const policy: RetryPolicy = {
    ...defaultRetryPolicy,
    retries: options.retries ?? defaultRetryPolicy.retries,
    baseDelayMs: options.retryBaseDelayMs ?? defaultRetryPolicy.baseDelayMs,
  };
  const connection: Connection = {
    tls: tlsConnectOptions(
      { verifyTls: options.verifyTls, caFile: options.caFile, settingPrefix: options.settingPrefix ?? 'cablecast' },
      options.log,
    ),
    timeoutMs: options.timeoutMs ?? 60_000,
  };
  const progress = await hashExistingPart(part);
  if (progress.size > 0) options.log.info({ url, part, offset: progress.size }, 'resuming partial download');
  let failures = 0;
  for (;;) {
    const receivedBefore = progress.received;
    const outcome = await attemptDownload(options, connection, part, progress);
    if (outcome.kind === 'complete') {
      await syncFile(part);
      const result = { path: dest, size: progress.size, sha256: progress.hash.digest('hex'), resumedFrom: outcome.startedFrom };
      await placeDownload(part, result, options.replaceOurs === true);
      options.log.info({ url, ...result }, 'download complete');
      return result;
    }
    if (outcome.restart === true) {
      await truncate(part, 0);
      progress.size = 0;
      progress.hash = createHash('sha256');
    }
    failures = progress.received > receivedBefore ? 0 : failures + 1;
    if (failures > policy.retries) {
      throw new UnavailableError(
        `download of ${url} failed ${failures} times in a row without progress: ${outcome.reason} (the partial file ${part} is kept for the next attempt)`,
        'cablecast',
      );
    }
    const waitMs = outcome.delayMs ?? backoffDelayMs(failures, policy);
    options.log.warn({ url, offset: progress.size, reason: outcome.reason, waitMs }, 'download interrupted; retrying');
    await sleep(waitMs, options.signal);
  }
}

/**
 * A file already at the destination holding exactly these bytes is the one an earlier run put
 * there (and was stopped before recording): the download stands. Any other file is left alone.
 */
async function placeDownload(part: string, result: DownloadResult, replaceOurs: boolean): Promise<void> {
  try {
    await renameIntoPlace(part, result.path, { replaceOurs });
  } catch (error) {
    if (!(error instanceof TargetExistsError)) throw error;
    if ((await sha256File(result.path)) !== result.sha256) {
      throw new TransientError(
        `${result.path} already exists with other contents and Archivist did not write it: refusing to replace it (the download is kept in ${part})`,
        { cause: error },
      );
    }
    await unlink(part);
  }
}

async function hashExistingPart(part: string): Promise<Progress> {
  const hash = createHash('sha256');
  try {
    return { size: await hashFileInto(hash, part), hash, received: 0 };
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await (await open(part, 'w')).close();
  return { size: 0, hash, received: 0 };
}

function authorizationFor(url: URL, auth: DownloadOptions['auth']): string | undefined {
  if (auth === undefined) return undefined;
  return mayReceiveCredentials(url, { origin: auth.origin, mediaHosts: auth.mediaHosts })
    ? basicAuthHeader(auth.username, auth.password)
    : undefined;
}

/**
 * One GET, following redirects itself so that each hop is judged on its own: credentials
 * never follow a redirect to another origin, and the Range stays on every hop.
 */
async function requestFollowingRedirects(options: DownloadOptions, connection: Connection, offset: number): Promise<HttpResponse> {
  let target = new URL(options.url);
  for (let hop = 0; ; hop += 1) {
    const authorization = authorizationFor(target, options.auth);
    if (options.auth !== undefined && authorization === undefined) {
      options.log.debug({ url: redactUrl(target) }, 'not sending the Cablecast credentials to this host');
    }
    const response = await httpGet(target, {
      ...connection,
      signal: options.signal,
      headers: {
        'accept-encoding': 'identity',
        ...(authorization === undefined ? {} : { authorization }),
        ...(offset > 0 ? { range: `bytes=${offset}-` } : {}),
      },
    });
    const location = response.headers.location;
    if (!redirectStatuses.has(response.statusCode) || location === undefined) return response;
    response.close();
    const next = new URL(location, target);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw new TransientError(`cannot download ${redactUrl(options.url)}: it redirects to a ${next.protocol} address`);
    }
    if (hop + 1 >= maxRedirects) {
      throw new TransientError(`cannot download ${redactUrl(options.url)}: more than ${maxRedirects} redirects`);
    }
    target = next;
  }
}

async function attemptDownload(
  options: DownloadOptions,
  connection: Connection,
  part: string,
  progress: Progress,
): Promise<AttemptOutcome> {
  const url = redactUrl(options.url);
  const offset = progress.size;
  let response: HttpResponse;
  try {
    response = await requestFollowingRedirects(options, connection, offset);
  } catch (error) {
    if (error instanceof TransientError) throw error;
    if (options.signal?.aborted === true) throw error;
    if (isTransientNetworkError(error)) return { kind: 'retry', reason: errorMessage(error) };
    throw new UnavailableError(`cannot download ${url}: ${errorMessage(error)}`, 'cablecast', { cause: error });
  }
  const { statusCode, headers } = response;
  const header = (name: string): string | undefined => headers[name];

  if (statusCode === 416 && offset > 0) {
    response.close();
    const total = parseUnsatisfiedRange(header('content-range'));
    if (total === offset) return { kind: 'complete', startedFrom: offset };
    return { kind: 'retry', reason: `server has ${total ?? 'an unknown number of'} bytes, we have ${offset}`, restart: true, delayMs: 0 };
  }
  if (statusCode === 401 || statusCode === 403) {
    response.close();
    throw new UsageError(
      `the server refused access to ${url} (HTTP ${statusCode}): check the configured credentials`,
      ['Cablecast credentials go only to the configured cablecast.url origin, and over HTTPS to hosts listed in cablecast.mediaHosts'],
      { dependency: 'cablecast' },
    );
  }
  if (isRetryableStatus(statusCode)) {
    response.close();
    const retryAfter = parseRetryAfterMs(header('retry-after'), Date.now());
    if (retryAfter !== undefined && retryAfter > maxRetryAfterMs) {
      throw new UnavailableError(
        `${url} answered HTTP ${statusCode} and asks to wait ${Math.round(retryAfter / 1000)} s: try again later`,
        'cablecast',
      );
    }
    return { kind: 'retry', reason: `HTTP ${statusCode}`, delayMs: retryAfter };
  }
  if (statusCode !== 200 && statusCode !== 206) {
    response.close();
    throw new TransientError(`cannot download ${url}: HTTP ${statusCode}`);
  }

  let expectedEnd: number | undefined;
  let startedFrom = offset;
  if (statusCode === 206) {
    const range = parseContentRange(header('content-range'));
    const length = parseContentLength(header('content-length'));
    if (range?.start !== offset || (length !== undefined && length !== range.end - range.start + 1)) {
      response.close();
      return {
        kind: 'retry',
        reason: `invalid Content-Range "${header('content-range') ?? ''}" for a request from byte ${offset}`,
        restart: true,
      };
    }
    expectedEnd = range.total ?? range.end + 1;
  } else {
    if (offset > 0) {
      options.log.info({ url, offset }, 'server ignored the Range request; starting over');
      await truncate(part, 0);
      progress.size = 0;
      progress.hash = createHash('sha256');
      startedFrom = 0;
    }
    expectedEnd = parseContentLength(header('content-length'));
  }

  const handle = await open(part, 'a');
  try {
    try {
      await appendBody(response, handle, progress);
    } catch (error) {
      if (options.signal?.aborted === true) throw error;
      if (isTransientNetworkError(error)) return { kind: 'retry', reason: errorMessage(error) };
      throw new UnavailableError(`download of ${url} failed: ${errorMessage(error)}`, 'cablecast', { cause: error });
    }
    if (expectedEnd !== undefined && progress.size !== expectedEnd) {
      return { kind: 'retry', reason: `body ended at byte ${progress.size}, expected ${expectedEnd}` };
    }
    return { kind: 'complete', startedFrom };
  } finally {
    await handle.close();
  }
}

/**
 * The disk is asked to write the file out every this many bytes while the rest arrives (page
 * cache writeback would otherwise start only at the final fsync, which then waited about a
 * second per GiB here).
 */
const flushEveryBytes = 64 << 20;

/**
 * Each slab is hashed while its write runs (in libuv's thread pool) and counted once written,
 * so the hash and the part agree after any failure: a failed write puts the hash back.
 */
async function appendBody(response: HttpResponse, handle: FileHandle, progress: Progress): Promise<void> {
  const flusher = new EarlyFlush(handle);
  try {
    await response.readBody(async (data) => {
      const written = writeAll(handle, data);
      const before = progress.hash.copy();
      progress.hash.update(data);
      try {
        await written;
      } catch (error) {
        progress.hash = before;
        throw error;
      }
      progress.size += data.length;
      progress.received += data.length;
      flusher.wrote(data.length);
    });
  } finally {
    await flusher.settle();
  }
}

/** One fdatasync at a time in the background; its failure ends the download at the next step. */
class EarlyFlush {
  private unflushed = 0;
  private running: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(private readonly handle: FileHandle) {}

  wrote(bytes: number): void {
    if (this.failure !== undefined) throw this.failure;
    this.unflushed += bytes;
    if (this.unflushed < flushEveryBytes || this.running !== undefined) return;
    this.unflushed = 0;
    this.running = this.handle.datasync().then(
      () => {
        this.running = undefined;
      },
      (error: unknown) => {
        this.running = undefined;
        this.failure = error instanceof Error ? error : new Error(String(error));
      },
    );
  }

  /** Before the handle closes: waits for the flush running, and throws what one met. */
  async settle(): Promise<void> {
    await this.running;
    if (this.failure !== undefined) throw this.failure;
  }
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  for (let done = 0; done < data.length;) {
    const { bytesWritten } = await handle.write(data, done, data.length - done);
    if (bytesWritten === 0) throw new Error(`short write: ${done} of ${data.length} bytes`);
    done += bytesWritten;
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
