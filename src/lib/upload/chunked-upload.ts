import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { CablecastHttpError, CablecastNetworkError, FileUploadState, type CablecastClient, type FileUpload } from '../cablecast/index.js';
import { PermanentError, TransientError } from '../errors.js';
import { backoffDelayMs, sleep, type RetryPolicy } from '../fetch/retry.js';
import { sha256File } from '../fs/file-sha256.js';
import { pendingSegments, segmentCount, segmentRange } from './segments.js';
import { continuesUpload, type UploadState, type UploadWhat } from './upload-state.js';

export interface UploadSource {
  what: UploadWhat;
  path: string;
  /** The name it gets on Cablecast. */
  fileName: string;
  /** The hash Archivist recorded when it wrote the file: a file changed since is not uploaded. */
  expectedSha256?: string | undefined;
}

export interface UploadFileOptions {
  client: CablecastClient;
  source: UploadSource;
  store: number;
  segmentBytes: number;
  /** What an earlier attempt saved (the job's output). */
  previous: UploadState | undefined;
  /** Persists progress; called after the upload is created and after every acknowledged segment. */
  save(state: UploadState): Promise<void>;
  log: Logger;
  signal?: AbortSignal;
  /** How long Cablecast may take to finish processing after the last segment. */
  finishTimeoutMs: number;
  pollDelayMs?: { first: number; max: number };
  /** Retries of one segment beyond the client's own per-request retries. */
  segmentRetry?: RetryPolicy;
}

/** Cablecast ended the upload in Error or Timeout: the same bytes would end the same way. */
export class UploadEndedError extends PermanentError {}

const STATE_NAMES: Record<number, string> = {
  0: 'Error',
  1: 'Uploading',
  2: 'UploadingComplete',
  3: 'PostProcessing',
  4: 'Transferring',
  5: 'Finished',
  6: 'Timeout',
};
/** A server that forgets uploads this often is broken; stop rather than loop. */
const MAX_FRESH_STARTS = 3;
const defaultSegmentRetry: RetryPolicy = { retries: 3, baseDelayMs: 2_000, maxDelayMs: 60_000 };
/**
 * A caption file is post-processed and transferred within a second or so; a rendition of
 * gigabytes takes minutes. Doubling from a quarter second answers the one quickly and costs
 * the other a handful of extra requests.
 */
const defaultPollDelay = { first: 250, max: 15_000 };

export function describeUploadState(state: number): string {
  return `${STATE_NAMES[state] ?? 'unknown'} (${state})`;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof CablecastNetworkError) return true;
  return error instanceof CablecastHttpError && (error.status >= 500 || error.status === 429);
}

function isGone(error: unknown): boolean {
  return error instanceof CablecastHttpError && error.status === 404;
}

/**
 * Uploads one file through Cablecast's chunked /fileuploads API: create, send the segments
 * (read from disk one at a time, so memory stays at one segment whatever the file size),
 * mark complete, poll until Finished. Progress is saved after every acknowledged segment; a
 * rerun continues the saved upload from its next segment, or starts a new one when the
 * server no longer knows it or the file changed. An upload that already finished for these
 * bytes is not sent again, so one media item never gets duplicate assets.
 */
export async function uploadFile(options: UploadFileOptions): Promise<UploadState> {
  const { client, source, log, signal } = options;
  const before = await stat(source.path);
  const sha256 = await sha256File(source.path, signal);
  if (source.expectedSha256 !== undefined && sha256 !== source.expectedSha256) {
    throw new UploadEndedError(`${source.path} was changed since Archivist wrote it; not uploading it`);
  }
  const facts = { fileName: source.fileName, store: options.store, size: before.size, sha256, segmentBytes: options.segmentBytes };
  const logBase = { path: source.path, fileName: source.fileName, store: options.store };
  let state = options.previous !== undefined && continuesUpload(options.previous, facts) ? options.previous : undefined;
  if (state?.finished) {
    log.info({ ...logBase, uploadId: state.uploadId, assetId: state.assetId }, 'already uploaded; not sending it again');
    return state;
  }

  const start = async (): Promise<UploadState> => {
    const totalSegments = segmentCount(facts.size, facts.segmentBytes);
    const created = await client.createFileUpload({
      fileName: facts.fileName,
      destinationStore: facts.store,
      totalSegments,
      size: facts.size,
    });
    const fresh: UploadState = {
      what: source.what,
      path: source.path,
      ...facts,
      totalSegments,
      uploadId: created.id,
      acked: [],
      finished: false,
      assetId: null,
    };
    await options.save(fresh);
    log.info({ ...logBase, uploadId: created.id, totalSegments, size: facts.size }, 'started a Cablecast upload');
    return fresh;
  };

  for (let fresh = 0; ; fresh += 1) {
    if (fresh > MAX_FRESH_STARTS)
      throw new TransientError(`Cablecast dropped the upload of ${source.fileName} ${fresh} times; giving up for now`);
    state ??= await start();
    const remote = await client.getFileUpload(state.uploadId);
    if (remote === null || remote.state === FileUploadState.error || remote.state === FileUploadState.timeout) {
      log.warn(
        { ...logBase, uploadId: state.uploadId, remote: remote === null ? 'gone' : describeUploadState(remote.state) },
        'Cablecast no longer takes this upload; starting a new one',
      );
      state = undefined;
      continue;
    }
    if (remote.state === FileUploadState.uploading) {
      const sent = await sendSegments(options, state, before);
      if (sent === 'gone') {
        log.warn({ ...logBase, uploadId: state.uploadId }, 'Cablecast dropped the upload while segments were sent; starting a new one');
        state = undefined;
        continue;
      }
      state = sent;
      await client.completeFileUpload(state.uploadId);
    }
    const final = remote.state === FileUploadState.finished ? remote : await pollUntilSettled(options, state.uploadId);
    if (final === null) {
      log.warn({ ...logBase, uploadId: state.uploadId }, 'Cablecast forgot the upload while processing it; starting a new one');
      state = undefined;
      continue;
    }
    if (final.state !== FileUploadState.finished) {
      throw new UploadEndedError(
        `Cablecast ended upload ${state.uploadId} of ${source.fileName} (to file store ${facts.store}) in state ${describeUploadState(final.state)}` +
          (final.state === FileUploadState.timeout ? ': it was idle too long' : ': the server rejected or could not process the file'),
      );
    }
    const done: UploadState = { ...state, finished: true, assetId: final.asset ?? null };
    await options.save(done);
    log.info({ ...logBase, uploadId: done.uploadId, assetId: done.assetId }, 'upload finished');
    return done;
  }
}

async function sendSegments(
  options: UploadFileOptions,
  initial: UploadState,
  before: { size: number; mtimeMs: number },
): Promise<UploadState | 'gone'> {
  const { client, source, signal } = options;
  const policy = options.segmentRetry ?? defaultSegmentRetry;
  let state = initial;
  // A file-backed Blob: each segment is read from disk while it is sent, so no segment's
  // bytes are copied into memory (Blob copies live outside the JS heap, where the garbage
  // collector is slow to notice them: a 1 GiB upload grew the process by 1 GiB).
  const file = await openAsBlob(source.path);
  if (file.size !== state.size) throw new TransientError(`${source.path} changed size while it was being uploaded`);
  for (const index of pendingSegments(state.totalSegments, state.acked)) {
    const { position, length } = segmentRange(index, state.size, state.segmentBytes);
    const bytes = file.slice(position, position + length);
    for (let attempt = 0; ; attempt += 1) {
      try {
        await client.uploadSegment(state.uploadId, index, bytes);
        break;
      } catch (error) {
        if (isGone(error)) return 'gone';
        if (signal?.aborted === true || !isRetryable(error) || attempt >= policy.retries) throw error;
        const waitMs = backoffDelayMs(attempt, policy);
        options.log.warn(
          { uploadId: state.uploadId, segment: index, attempt: attempt + 1, waitMs, err: error },
          'segment upload failed; retrying',
        );
        await sleep(waitMs, signal);
      }
    }
    state = { ...state, acked: [...state.acked, index] };
    await options.save(state);
  }
  const after = await stat(source.path);
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
    throw new TransientError(`${source.path} changed while it was being uploaded; it will be uploaded again`);
  }
  return state;
}

async function pollUntilSettled(options: UploadFileOptions, uploadId: number): Promise<FileUpload | null> {
  const delays = options.pollDelayMs ?? defaultPollDelay;
  const deadline = Date.now() + options.finishTimeoutMs;
  for (let delay = delays.first; ; delay = Math.min(delays.max, delay * 2)) {
    const upload = await options.client.getFileUpload(uploadId);
    if (upload === null) return null;
    if (upload.state === FileUploadState.finished || upload.state === FileUploadState.error || upload.state === FileUploadState.timeout)
      return upload;
    if (Date.now() >= deadline) {
      throw new TransientError(
        `Cablecast has not finished processing upload ${uploadId} after ${Math.round(options.finishTimeoutMs / 60_000)} min ` +
          `(state ${describeUploadState(upload.state)}); the next attempt keeps waiting for it`,
      );
    }
    await sleep(delay, options.signal);
  }
}
