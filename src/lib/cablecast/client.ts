import { Blob } from 'node:buffer';
import type { Logger } from 'pino';
import { FormData } from 'undici';
import { UsageError, errnoCode } from '../errors.js';
import { defaultRetryPolicy, maxRetryAfterMs } from '../fetch/retry.js';
import { normalizeBaseUrl } from './base-url.js';
import { assertTextField, fieldTarget, findShowFieldId, holdsValue, withTextValue, type ShowFieldCatalog } from './custom-fields.js';
import { CablecastHttpError, CablecastNetworkError, CablecastRecordError } from './errors.js';
import { pageThrough } from './paging.js';
import {
  FileUploadState,
  fileStoresEnvelopeSchema,
  fileUploadEnvelopeSchema,
  locationsEnvelopeSchema,
  savedShowSearchEnvelopeSchema,
  showEnvelopeSchema,
  showFieldsEnvelopeSchema,
  showRecordEnvelopeSchema,
  showsEnvelopeSchema,
  type FileStore,
  type FileUpload,
  type Location,
  type Show,
  type Vod,
} from './schemas.js';
import { isUnreadableShow, readBareShow, readShowsPage, type ShowDetail, type UnreadableShow } from './show-detail.js';
import { changedSinceSearch, chunk } from './show-search.js';
import { CablecastTransport } from './transport.js';
import {
  captionService,
  describeCaptionService,
  isHlsPlaylist,
  playlistUrl,
  subtitlesUri,
  type CaptionCheck,
  type CaptionCheckOptions,
} from './vod-captions.js';

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
}

export interface NewFileUpload {
  fileName: string;
  destinationStore: number;
  totalSegments: number;
  size: number;
}

export interface TextFieldWrite {
  /** False when the show held the value already: nothing was sent. */
  changed: boolean;
  /** The show as Cablecast holds it afterwards. */
  show: Show;
}

export interface CablecastClient {
  readonly baseUrl: string;
  /**
   * One show with its reels and VODs (through the same `ids[]` query as getShows); null when
   * Cablecast has no such show. A reel or VOD the answer did not carry is in `unknown`.
   */
  getShow(id: number): Promise<ShowDetail | null>;
  /**
   * The shows that exist among `ids`, in the order asked for; missing sideloads are in each
   * one's `unknown`. A show whose record cannot be read is an error for that show
   * (CablecastRecordError), never taken for a show that is gone.
   */
  getShows(ids: readonly number[]): Promise<ShowDetail[]>;
  /**
   * Every page of the listing; `location` is also checked on our side against `show.location`.
   * A show whose record cannot be read is left out with a warning.
   */
  listShows(filter?: ListShowsFilter): AsyncIterable<ShowDetail>;
  /**
   * Shows modified after `since` (ISO 8601), oldest change first; every location (filter on
   * `show.location`). A show whose record cannot be read comes as an UnreadableShow, so the
   * caller can report that one show and go on.
   */
  showsChangedSince(since: string): AsyncIterable<ShowDetail | UnreadableShow>;
  /** Captioned already? From `show.hasCaptions` and the VOD's playlist; never throws for an unreadable playlist. */
  checkCaptions(show: Show, vod: Vod, options?: CaptionCheckOptions): Promise<CaptionCheck>;
  listShowFields(): Promise<ShowFieldCatalog>;
  showFieldIdByName(name: string): Promise<number>;
  /**
   * Writes text into the show's custom field named `fieldName`: reads the record, refuses a
   * field that is not a `string` field (CablecastFieldTypeError), and PUTs the whole record
   * as read with that one entry changed.
   */
  writeShowTextField(showId: number, fieldName: string, value: string): Promise<TextFieldWrite>;
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
/** A master playlist is a few hundred bytes; anything this big is not one. */
const playlistMaxBytes = 256 * 1024;
/**
 * An unreadable playlist means "unknown, ask next run" anyway: one retry rides out a blip,
 * more would stall a site's discovery show by show behind a failing file server.
 */
const playlistRetries = 1;

const timeoutCodes = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function isTimeout(error: unknown): boolean {
  const code = errnoCode(error);
  if (code !== undefined && timeoutCodes.has(code)) return true;
  return error instanceof Error && error.cause !== undefined && error.cause !== error && isTimeout(error.cause);
}

function idOf(item: ShowDetail | UnreadableShow): number {
  return isUnreadableShow(item) ? item.id : item.show.id;
}

export function createCablecastClient(options: CablecastClientOptions, log: Logger): CablecastClient {
  const baseUrl = normalizeBaseUrl(options.url);
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new UsageError(`cablecast.pageSize must be a positive integer, got ${pageSize}`);
  const clientLog = log.child({ component: 'cablecast' });
  const retries = options.retries ?? defaultRetryPolicy.retries;
  const transport = new CablecastTransport(
    {
      baseUrl,
      username: options.username,
      password: options.password,
      verifyTls: options.verifyTls,
      caFile: options.caFile,
      timeoutMs: options.timeoutMs ?? 30_000,
      policy: { ...defaultRetryPolicy, retries, baseDelayMs: options.retryBaseDelayMs ?? defaultRetryPolicy.baseDelayMs },
      maxRetryAfterMs,
      signal: options.signal,
    },
    clientLog,
  );
  const idsChunk = Math.min(idsPerRequest, pageSize);
  /**
   * File servers (by host) that let a playlist request time out: every other show on them is
   * unknown at once, so a file server that hangs costs one request's timeouts, not one per show.
   * A refusal or a reset is quick, and may be about one file: those are not remembered.
   */
  const silentFileServers = new Map<string, string>();

  async function getShowRecord(id: number): Promise<Show | null> {
    return transport.sendOrNull({ method: 'GET', path: `/shows/${id}`, schema: showEnvelopeSchema });
  }

  async function showsByIds(ids: readonly number[]): Promise<Map<number, ShowDetail | UnreadableShow>> {
    const query = new URLSearchParams();
    for (const id of ids) query.append('ids[]', String(id));
    query.set('page_size', String(pageSize));
    query.set('include', 'reel,vod');
    const page = await transport.send({ method: 'GET', path: '/shows', query, schema: showsEnvelopeSchema });
    const wanted = new Set(ids);
    // A server that ignored ids[] would answer with other shows: only the ones asked for count.
    return new Map(readShowsPage(page).shows.flatMap((item) => (wanted.has(idOf(item)) ? [[idOf(item), item] as const] : [])));
  }

  /**
   * A show the ids[] answer left out is looked up on its own before anyone concludes it is
   * gone: a 404 says so; a record says it exists, with its reels and VODs unknown.
   */
  async function confirmMissing(id: number): Promise<ShowDetail | UnreadableShow | null> {
    const raw = await transport.sendOrNull({ method: 'GET', path: `/shows/${id}`, schema: showRecordEnvelopeSchema });
    if (raw === null) return null;
    clientLog.warn({ showId: id }, 'the ids[] query did not return this show, which exists; its reels and VODs are unknown');
    return readBareShow(raw);
  }

  async function lookUpShows(ids: readonly number[]): Promise<(ShowDetail | UnreadableShow)[]> {
    const unique = [...new Set(ids)];
    const found = new Map<number, ShowDetail | UnreadableShow>();
    for (const group of chunk(unique, idsChunk)) {
      for (const [id, item] of await showsByIds(group)) found.set(id, item);
    }
    for (const id of unique) {
      if (found.has(id)) continue;
      const item = await confirmMissing(id);
      if (item !== null) found.set(id, item);
    }
    return unique.flatMap((id) => {
      const item = found.get(id);
      return item === undefined ? [] : [item];
    });
  }

  async function getShows(ids: readonly number[]): Promise<ShowDetail[]> {
    return (await lookUpShows(ids)).map((item) => {
      if (!isUnreadableShow(item)) return item;
      throw new CablecastRecordError(item.id, `${baseUrl.toString()}/shows?ids[]=${item.id}`, item.problem);
    });
  }

  async function* listShows(filter: ListShowsFilter = {}): AsyncGenerator<ShowDetail> {
    const base = new URLSearchParams();
    if (filter.location !== undefined) base.set('location', String(filter.location));
    if (filter.search !== undefined) base.set('search', filter.search);
    base.set('include', 'reel,vod');
    let listed = 0;
    const pages = pageThrough({
      pageSize,
      fetchPage: async (offset) => {
        const query = new URLSearchParams(base);
        query.set('offset', String(offset));
        query.set('page_size', String(pageSize));
        const page = await transport.send({ method: 'GET', path: '/shows', query, schema: showsEnvelopeSchema });
        // Unreadable shows stay in the page until paging is done with it: a page with one
        // dropped would look short and end the listing early.
        return readShowsPage(page).shows;
      },
      idOf,
      warn: (message, details) => {
        clientLog.warn({ ...details, filter }, message);
      },
      learned: (meaning) => {
        clientLog.debug({ offsetCounts: meaning }, 'how this server counts offset');
      },
    });
    for await (const item of pages) {
      if (isUnreadableShow(item)) {
        clientLog.warn({ showId: item.id, problem: item.problem, filter }, 'left out a show whose record cannot be read');
        continue;
      }
      const detail = item;
      // The location parameter is what Tightrope's public site sends; a server that ignored
      // it would list every location, so the records are checked too.
      if (filter.location !== undefined && detail.show.location !== filter.location) continue;
      listed += 1;
      yield detail;
    }
    clientLog.debug({ filter, listed }, 'listed shows');
  }

  async function* showsChangedSince(since: string): AsyncGenerator<ShowDetail | UnreadableShow> {
    if (Number.isNaN(Date.parse(since))) throw new UsageError(`not an ISO 8601 date: ${since}`);
    const ids = await transport.send({
      method: 'POST',
      path: '/shows/search/advanced',
      json: changedSinceSearch(since),
      schema: savedShowSearchEnvelopeSchema,
    });
    clientLog.debug({ since, count: ids.length }, 'shows changed since');
    for (const group of chunk(ids, idsChunk)) yield* await lookUpShows(group);
  }

  async function checkCaptions(show: Show, vod: Vod, checkOptions: CaptionCheckOptions = {}): Promise<CaptionCheck> {
    if (show.hasCaptions === true) return { state: 'captioned', by: 'hasCaptions', reason: `show ${show.id} has captions (hasCaptions)` };
    const service = captionService(show);
    if (service !== null && checkOptions.ignoreCaptionService !== true) {
      return { state: 'captioned-elsewhere', service, reason: describeCaptionService(service) };
    }
    const url = playlistUrl(vod);
    if (url === null) return { state: 'unknown', reason: `VOD ${vod.id} has no URL, so its playlist cannot be read` };
    const silent = silentFileServers.get(url.host);
    if (silent !== undefined) return { state: 'unknown', reason: `cannot read the playlist of VOD ${vod.id}: ${silent}` };
    let file;
    try {
      file = await transport.fetchSmallFile(url, { maxBytes: playlistMaxBytes, retries: Math.min(retries, playlistRetries) });
    } catch (error) {
      if (!(error instanceof CablecastNetworkError)) throw error;
      if (isTimeout(error)) silentFileServers.set(url.host, `${url.host} did not answer earlier in this run (${error.message})`);
      return { state: 'unknown', reason: `cannot read the playlist of VOD ${vod.id}: ${error.message}` };
    }
    if (file.status !== 200) return { state: 'unknown', reason: `GET ${url.toString()} answered HTTP ${file.status}` };
    if (file.truncated || !isHlsPlaylist(file.text)) {
      return { state: 'unknown', reason: `GET ${url.toString()} answered something that is not an HLS playlist` };
    }
    const subtitles = subtitlesUri(file.text);
    return subtitles === null
      ? { state: 'uncaptioned', reason: `the playlist of VOD ${vod.id} lists no subtitles` }
      : { state: 'captioned', by: 'playlist', reason: `the playlist of VOD ${vod.id} lists subtitles (${subtitles})` };
  }

  async function listShowFields(): Promise<ShowFieldCatalog> {
    return transport.send({ method: 'GET', path: '/showfields', schema: showFieldsEnvelopeSchema });
  }

  async function writeShowTextField(showId: number, fieldName: string, value: string): Promise<TextFieldWrite> {
    const path = `/shows/${showId}`;
    const show = await getShowRecord(showId);
    if (show === null) throw new CablecastHttpError('GET', `${baseUrl.toString()}${path}`, 404, 'the show does not exist');
    const target = await fieldTarget(show, fieldName, listShowFields);
    assertTextField(showId, target);
    if (holdsValue(show, target.showField, value)) return { changed: false, show };
    const json = { show: withTextValue(show, target.showField, value) };
    const updated = await transport.send({ method: 'PUT', path, json, schema: showEnvelopeSchema });
    clientLog.info({ showId, field: target.fieldName }, 'updated show custom field');
    return { changed: true, show: updated };
  }

  return {
    baseUrl: baseUrl.toString(),

    async getShow(id) {
      return (await getShows([id]))[0] ?? null;
    },

    getShows,
    listShows,
    showsChangedSince,
    checkCaptions,
    listShowFields,

    async showFieldIdByName(name) {
      return findShowFieldId(await listShowFields(), name);
    },

    writeShowTextField,

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
