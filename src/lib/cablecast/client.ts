import { Blob } from 'node:buffer';
import type { Logger } from 'pino';
import { FormData } from 'undici';
import { z } from 'zod';
import { UnavailableError, UsageError } from '../errors.js';
import { defaultRetryPolicy, maxRetryAfterMs } from '../fetch/retry.js';
import { normalizeBaseUrl } from './base-url.js';
import { findShowFieldId, withCustomField, type ShowFieldCatalog } from './custom-fields.js';
import { CablecastHttpError, CablecastResponseError } from './errors.js';
import {
  FileUploadState,
  fileStoresEnvelopeSchema,
  fileUploadEnvelopeSchema,
  locationsEnvelopeSchema,
  savedShowSearchEnvelopeSchema,
  showEnvelopeSchema,
  showFieldsEnvelopeSchema,
  showsEnvelopeSchema,
  updatedShowEnvelopeSchema,
  vodSchema,
  vodTransactionSchema,
  type CustomFieldValue,
  type FileStore,
  type FileUpload,
  type Location,
  type Show,
  type Vod,
} from './schemas.js';
import { resolveShowDetail, type ShowDetail, type ShowInclude } from './show-detail.js';
import { changedSinceSearch, chunk } from './show-search.js';
import { CablecastTransport } from './transport.js';

export interface CablecastClientOptions {
  /** API root such as `https://host/CablecastAPI/v1`; a bare `https://host` works too. */
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  verifyTls: boolean;
  caFile?: string | undefined;
  timeoutMs?: number | undefined;
  retries?: number | undefined;
  pageSize?: number | undefined;
  /** First backoff step; tests shorten it. */
  retryBaseDelayMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface ListShowsFilter {
  location?: number | undefined;
  search?: string | undefined;
  /** Sideloads to resolve into each ShowDetail; both by default. */
  include?: readonly ShowInclude[] | undefined;
}

export interface NewFileUpload {
  fileName: string;
  destinationStore: number;
  totalSegments: number;
  size: number;
}

export interface CablecastClient {
  readonly baseUrl: string;
  /** Null when the show does not exist (deleted), so callers can tell that from a failure. */
  getShow(id: number): Promise<ShowDetail | null>;
  /** Shows that exist among `ids`, in the order asked for, with reels and VODs resolved. */
  getShows(ids: readonly number[]): Promise<ShowDetail[]>;
  listShows(filter?: ListShowsFilter): AsyncIterable<ShowDetail>;
  /** Shows modified after `since` (ISO 8601), oldest change first. */
  showsChangedSince(since: string, filter?: { location?: number | undefined }): AsyncIterable<ShowDetail>;
  getVod(id: number): Promise<Vod | null>;
  isVodReady(vod: Vod): boolean;
  /** Cablecast publishes `captions.en.m3u8` beside `vod.m3u8` once a VOD has captions. */
  vodHasCaptions(vodUrl: string): Promise<boolean>;
  listShowFields(): Promise<ShowFieldCatalog>;
  showFieldIdByName(name: string): Promise<number>;
  updateShowCustomField(showId: number, showFieldId: number, value: CustomFieldValue['value']): Promise<Show>;
  listFileStores(): Promise<FileStore[]>;
  listLocations(): Promise<Location[]>;
  createFileUpload(input: NewFileUpload): Promise<FileUpload>;
  uploadSegment(id: number, index: number, bytes: Uint8Array | Blob): Promise<void>;
  completeFileUpload(id: number): Promise<FileUpload>;
  /** Null when the server no longer knows the upload (it must be started again). */
  getFileUpload(id: number): Promise<FileUpload | null>;
  close(): Promise<void>;
}

/** ids[] per request: keeps URLs well under the limits of IIS in front of Cablecast. */
const idsPerRequest = 50;
const vodTransactionType = { ready: 5 } as const;

const vodWithTransactionsSchema = z.looseObject({
  vod: vodSchema,
  vodTransactions: z.array(vodTransactionSchema).default([]),
});

export function createCablecastClient(options: CablecastClientOptions, log: Logger): CablecastClient {
  const baseUrl = normalizeBaseUrl(options.url);
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new UsageError(`cablecast.pageSize must be a positive integer, got ${pageSize}`);
  const clientLog = log.child({ component: 'cablecast' });
  const transport = new CablecastTransport(
    {
      baseUrl,
      username: options.username,
      password: options.password,
      verifyTls: options.verifyTls,
      caFile: options.caFile,
      timeoutMs: options.timeoutMs ?? 30_000,
      policy: {
        ...defaultRetryPolicy,
        retries: options.retries ?? defaultRetryPolicy.retries,
        baseDelayMs: options.retryBaseDelayMs ?? defaultRetryPolicy.baseDelayMs,
      },
      maxRetryAfterMs,
      signal: options.signal,
    },
    clientLog,
  );

  async function* pagedShows(base: URLSearchParams, include: ReadonlySet<ShowInclude>): AsyncGenerator<ShowDetail> {
    if (include.size > 0) base.set('include', [...include].join(','));
    for (let offset = 0; ; offset += pageSize) {
      const query = new URLSearchParams(base);
      query.set('offset', String(offset));
      query.set('page_size', String(pageSize));
      const page = await transport.send({ method: 'GET', path: '/shows', query, schema: showsEnvelopeSchema });
      for (const show of page.shows) yield resolveShowDetail(show, page, include, `${baseUrl.href}/shows?${query.toString()}`);
      // meta.count ignores filters on real servers: only a short page marks the end.
      if (page.shows.length < pageSize) return;
    }
  }

  async function getShows(ids: readonly number[]): Promise<ShowDetail[]> {
    const found = new Map<number, ShowDetail>();
    for (const group of chunk([...new Set(ids)], idsPerRequest)) {
      const query = new URLSearchParams();
      for (const id of group) query.append('ids[]', String(id));
      for await (const detail of pagedShows(query, new Set<ShowInclude>(['reel', 'vod']))) found.set(detail.show.id, detail);
    }
    return ids.flatMap((id) => {
      const detail = found.get(id);
      return detail === undefined ? [] : [detail];
    });
  }

  async function listShowFields(): Promise<ShowFieldCatalog> {
    return transport.send({ method: 'GET', path: '/showfields', schema: showFieldsEnvelopeSchema });
  }

  return {
    baseUrl: baseUrl.toString(),

    async getShow(id) {
      const query = new URLSearchParams({ include: 'reel,vod' });
      const path = `/shows/${id}`;
      const envelope = await transport.sendOrNull({ method: 'GET', path, query, schema: showEnvelopeSchema });
      if (envelope === null) return null;
      return resolveShowDetail(envelope.show, envelope, new Set(['reel', 'vod']), `${baseUrl.href}${path}`);
    },

    getShows,

    listShows(filter = {}) {
      const query = new URLSearchParams();
      if (filter.location !== undefined) query.set('location', String(filter.location));
      if (filter.search !== undefined) query.set('search', filter.search);
      return pagedShows(query, new Set(filter.include ?? ['reel', 'vod']));
    },

    async *showsChangedSince(since, filter = {}) {
      if (Number.isNaN(Date.parse(since))) throw new UsageError(`not an ISO 8601 date: ${since}`);
      const ids = await transport.send({
        method: 'POST',
        path: '/shows/search/advanced',
        json: changedSinceSearch(since, filter.location),
        schema: savedShowSearchEnvelopeSchema,
      });
      clientLog.debug({ since, count: ids.length }, 'shows changed since');
      for (const group of chunk(ids, idsPerRequest)) yield* await getShows(group);
    },

    async getVod(id) {
      const path = `/vods/${id}`;
      const query = new URLSearchParams({ include: 'vodtransaction' });
      const envelope = await transport.sendOrNull({ method: 'GET', path, query, schema: vodWithTransactionsSchema });
      if (envelope === null) return null;
      const { vod, vodTransactions } = envelope;
      if (typeof vod.lastTransaction !== 'number') return vod;
      const transaction = vodTransactions.find((t) => t.id === vod.lastTransaction);
      if (transaction === undefined) {
        throw new CablecastResponseError('GET', `${baseUrl.href}${path}`, `last transaction ${vod.lastTransaction} was not included`, '');
      }
      return { ...vod, lastTransaction: transaction };
    },

    isVodReady(vod) {
      if (typeof vod.lastTransaction === 'number') {
        throw new UnavailableError(`VOD ${vod.id} names its last transaction only by id; read it with getVod(${vod.id})`, 'cablecast');
      }
      return vod.lastTransaction?.transactionType === vodTransactionType.ready;
    },

    vodHasCaptions: (vodUrl) => transport.fileExists(new URL('captions.en.m3u8', vodUrl)),

    listShowFields,

    async showFieldIdByName(name) {
      return findShowFieldId(await listShowFields(), name);
    },

    async updateShowCustomField(showId, showFieldId, value) {
      const path = `/shows/${showId}`;
      const current = await transport.sendOrNull({ method: 'GET', path, schema: showEnvelopeSchema });
      if (current === null) throw new CablecastHttpError('GET', `${baseUrl.href}${path}`, 404, 'the show does not exist');
      const show = { ...current.show, customFields: withCustomField(current.show.customFields, showFieldId, value) };
      const updated = await transport.send({ method: 'PUT', path, json: { show }, schema: updatedShowEnvelopeSchema });
      clientLog.info({ showId, showFieldId }, 'updated show custom field');
      return updated;
    },

    async listFileStores() {
      return transport.send({ method: 'GET', path: '/filestores', schema: fileStoresEnvelopeSchema });
    },

    async listLocations() {
      return transport.send({ method: 'GET', path: '/locations', schema: locationsEnvelopeSchema });
    },

    async createFileUpload(input) {
      return transport.send({ method: 'POST', path: '/fileuploads', json: { fileUpload: input }, schema: fileUploadEnvelopeSchema });
    },

    async uploadSegment(id, index, bytes) {
      const form = new FormData();
      form.append('segment', String(index));
      form.append('file', bytes instanceof Blob ? bytes : new Blob([bytes]), `segment-${index}`);
      await transport.sendForStatus({ method: 'POST', path: `/fileuploads/${id}/upload`, form });
    },

    async completeFileUpload(id) {
      return transport.send({
        method: 'PUT',
        path: `/fileuploads/${id}`,
        json: { fileUpload: { state: FileUploadState.uploadingComplete } },
        schema: fileUploadEnvelopeSchema,
      });
    },

    async getFileUpload(id) {
      return transport.sendOrNull({ method: 'GET', path: `/fileuploads/${id}`, schema: fileUploadEnvelopeSchema });
    },

    close: () => transport.close(),
  };
}
