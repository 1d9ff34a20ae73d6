import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { cutAfter, dig, readJson, sendJson } from './cablecast-http.js';
import {
  masterPlaylist,
  showRecord,
  subtitlesPlaylist,
  vodFolder,
  vodRecord,
  type AddShowInput,
  type CustomFieldEntry,
  type CustomFieldType,
  type FieldDefinitionRecord,
  type FieldOption,
  type PlaylistMode,
  type ReelRecord,
  type ShowFieldRecord,
  type ShowRecord,
  type VodLifecycle,
  type VodRecord,
} from './cablecast-records.js';
import { uploadEndpoints, type UploadRecord } from './cablecast-uploads.js';

/**
 * A stand-in for a Cablecast server that answers as ../shared/reference/cablecast-api.md says
 * live servers do, the inconvenient parts included: full records with fields nobody asked for,
 * `fileName: null` and `lastTransaction: null` on VODs, no sideloads on single records, 405 to
 * HEAD, 400 to search filters other than `lastModified`, typed custom fields, and (on request)
 * `offset` counted in pages. It can also misbehave on request, so clients are tested against
 * the failures real stations produce.
 */

export type {
  AddShowInput,
  CustomFieldEntry,
  CustomFieldType,
  PlaylistMode,
  ReelRecord,
  ShowFieldRecord,
  ShowRecord,
  VodLifecycle,
  VodRecord,
} from './cablecast-records.js';
export type { FileUploadRecord, UploadRecord, UploadState } from './cablecast-uploads.js';

/** VOD file contents: small ones in memory, big ones (benchmarks) on disk. */
export type ServedFile = Buffer | { diskPath: string };

export interface ServerState {
  shows: Map<number, ShowRecord>;
  reels: Map<number, ReelRecord>;
  vods: Map<number, VodRecord>;
  showFields: ShowFieldRecord[];
  fieldDefinitions: FieldDefinitionRecord[];
  /** Options of select and tag fields, by show field id. */
  fieldOptions: Map<number, FieldOption[]>;
  locations: { id: number; name: string }[];
  fileStores: { id: number; name: string; location: number }[];
  fileUploads: Map<number, UploadRecord>;
  /** VOD files by URL path (lower case), e.g. `/store-1/1001-council-v1/vod.mp4`. */
  files: Map<string, ServedFile>;
  /** What each VOD's `vod.m3u8` says, by VOD id. */
  playlists: Map<number, PlaylistMode>;
  /** Finished uploads assembled on disk, keyed `<storeId>/<fileName>`. */
  storedFiles: Map<string, string>;
  /** Every segment received, in arrival order: shows what a resumed upload sent again. */
  receivedSegments: { upload: number; segment: number }[];
}

type Match = string | RegExp;

export type Fault =
  | { kind: 'status'; status: 500 | 503; times: number; match?: Match }
  | { kind: '429'; retryAfterSeconds: number; times: number; match?: Match }
  | { kind: 'slow'; delayMs: number; times: number; match?: Match }
  | { kind: 'cut'; afterBytes: number; times: number; match?: Match }
  | { kind: 'malformed-json'; times: number; match?: Match }
  /** Answer a Range request with the whole file (200), like servers without range support. */
  | { kind: 'ignore-range'; times: number; match?: Match }
  /** Answer a Range request with a 206 for the wrong bytes. */
  | { kind: 'wrong-range'; times: number; match?: Match };

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  range: string | undefined;
  authenticated: boolean;
  /** When the request arrived (Date.now()): where a benchmark starts timing a download. */
  receivedAt: number;
}

/**
 * How `offset` is read on GET /shows: as the index of the first record (the API documentation)
 * or as a page index (how trms/cablecast-public-site app/routes/search.js sends it: `page - 1`).
 */
export type OffsetCounts = 'records' | 'pages';

export interface CablecastServerOptions {
  username?: string;
  password?: string;
  /** Which requests need credentials; defaults to 'writes' when a username is set. */
  requireAuth?: 'writes' | 'all';
  /** Serve HTTPS with this (typically self-signed) certificate, as many stations do. */
  tls?: { key: string; cert: string };
  offsetCounts?: OffsetCounts;
  /**
   * Whether GET /filestores says which location each store serves. The reference confirms only
   * `id` and `name`; a client must work when nothing else is there.
   */
  fileStoreLocations?: boolean;
}

export interface AddVodOptions {
  lifecycle?: VodLifecycle;
  /** Live records have none (null); older ones named the file. */
  fileName?: string | null;
  store?: number;
  playlist?: PlaylistMode;
}

export interface AddedShowField extends ShowFieldRecord {
  name: string;
  type: CustomFieldType;
  options: FieldOption[];
}

export interface CablecastServer {
  /** Base API URL, `http(s)://127.0.0.1:<port>/CablecastAPI/v1`. */
  url: string;
  origin: string;
  state: ServerState;
  requests: RequestLogEntry[];
  addShow(input: AddShowInput): ShowRecord;
  addVodFile(showId: number, contents: ServedFile, options?: AddVodOptions): VodRecord;
  /** A custom field; select and tag fields get the given option labels. */
  addShowField(name: string, type?: CustomFieldType, options?: readonly string[]): AddedShowField;
  setPlaylist(vodId: number, mode: PlaylistMode): void;
  /** Leaves a record out of every sideload, while the show still refers to it. */
  hideFromSideloads(kind: 'reel' | 'vod', id: number): void;
  /** Leaves a show out of list answers (ids[] included), while GET /shows/{id} still has it. */
  hideFromLists(showId: number): void;
  /**
   * Serves a record with these fields changed, wherever it appears (lists, sideloads, single
   * reads), as a server with a damaged or unusual record would: `{ url: 17 }` on a VOD, say.
   */
  garble(kind: 'show' | 'reel' | 'vod', id: number, fields: Record<string, unknown>): void;
  setOffsetCounts(mode: OffsetCounts): void;
  inject(fault: Fault): void;
  /** The next upload that completes ends in Error (0) or Timeout (6) instead of Finished. */
  endNextUploadIn(state: 0 | 6): void;
  /** The next upload created is forgotten (404) once it has received this many segments. */
  forgetNextUploadAfter(segments: number): void;
  forgetUpload(id: number): void;
  close(): Promise<void>;
}

const apiPrefix = '/cablecastapi/v1';

export async function startCablecastServer(options: CablecastServerOptions = {}): Promise<CablecastServer> {
  const workDir = await mkdtemp(join(tmpdir(), 'cablecast-server-'));
  const requireAuth = options.requireAuth ?? (options.username === undefined ? undefined : 'writes');
  const expectedAuth =
    options.username === undefined ? undefined : `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  const state: ServerState = {
    shows: new Map(),
    reels: new Map(),
    vods: new Map(),
    showFields: [],
    fieldDefinitions: [],
    fieldOptions: new Map(),
    locations: [
      { id: 1, name: 'Birchwood' },
      { id: 2, name: 'Lake Elmo' },
    ],
    fileStores: [
      { id: 1, name: 'Flex 1 Content', location: 1 },
      { id: 2, name: 'Flex 3 Content', location: 2 },
    ],
    fileUploads: new Map(),
    files: new Map(),
    playlists: new Map(),
    storedFiles: new Map(),
    receivedSegments: [],
  };
  const hidden = { reel: new Set<number>(), vod: new Set<number>(), show: new Set<number>() };
  const garbled = {
    show: new Map<number, Record<string, unknown>>(),
    reel: new Map<number, Record<string, unknown>>(),
    vod: new Map<number, Record<string, unknown>>(),
  };
  const served = <T extends { id: number }>(kind: 'show' | 'reel' | 'vod', record: T): T | Record<string, unknown> => {
    const fields = garbled[kind].get(record.id);
    return fields === undefined ? record : { ...record, ...fields };
  };
  /** Lower-case path of each VOD's folder, to answer `vod.m3u8` and the captions playlist in it. */
  const vodFolders = new Map<string, number>();
  let offsetCounts: OffsetCounts = options.offsetCounts ?? 'records';
  const faults: Fault[] = [];
  const requests: RequestLogEntry[] = [];
  let nextId = 1000;
  const newId = (): number => ++nextId;
  const uploads = uploadEndpoints(state, workDir, newId);
  let origin = '';

  const takeFault = (method: string, path: string, kinds: Fault['kind'][]): Fault | undefined => {
    const fault = faults.find((f) => f.times > 0 && kinds.includes(f.kind) && matches(f.match, method, path));
    if (fault !== undefined) fault.times -= 1;
    return fault;
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  };
  const server = options.tls === undefined ? createServer(listener) : createTlsServer(options.tls, listener);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const parsed = new URL(req.url ?? '/', 'http://localhost');
    const path = parsed.pathname.toLowerCase();
    const authHeader = req.headers.authorization;
    const authenticated = expectedAuth !== undefined && authHeader === expectedAuth;
    requests.push({ method, path: parsed.pathname, query: parsed.search, range: req.headers.range, authenticated, receivedAt: Date.now() });

    const slow = takeFault(method, path, ['slow']);
    if (slow?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, slow.delayMs));
    if (res.destroyed || req.destroyed) return;

    const statusFault = takeFault(method, path, ['status', '429']);
    if (statusFault?.kind === 'status') {
      req.resume();
      sendJson(res, statusFault.status, { message: 'An error has occurred.' });
      return;
    }
    if (statusFault?.kind === '429') {
      req.resume();
      res.setHeader('retry-after', String(statusFault.retryAfterSeconds));
      sendJson(res, 429, { message: 'Too many requests.' });
      return;
    }

    const needsAuth = requireAuth === 'all' || (requireAuth === 'writes' && method !== 'GET' && method !== 'HEAD');
    const wrongCredentials = authHeader !== undefined && !authenticated;
    if ((needsAuth && !authenticated) || wrongCredentials) {
      req.resume();
      res.setHeader('www-authenticate', 'Basic realm="Cablecast"');
      sendJson(res, 401, { message: 'Authorization has been denied for this request.' });
      return;
    }

    // The reference: file servers behind VOD URLs (and IIS in front of the API) may not support HEAD.
    if (method === 'HEAD') {
      req.resume();
      res.writeHead(405, { allow: 'GET' });
      return void res.end();
    }

    if (method === 'GET' && !path.startsWith(apiPrefix)) {
      const file = state.files.get(path);
      if (file !== undefined) return serveFile(req, res, method, path, file);
      const vodId = vodFolders.get(path.slice(0, path.lastIndexOf('/') + 1));
      if (vodId !== undefined) {
        servePlaylist(req, res, vodId, path.slice(path.lastIndexOf('/') + 1));
        return;
      }
    }
    if (!path.startsWith(apiPrefix)) {
      req.resume();
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    const route = path.slice(apiPrefix.length).replace(/\/+$/, '');
    const [status, body] = await answerApi(req, method, route, parsed.searchParams);
    sendApiJson(res, method, path, status, body);
  }

  function sendApiJson(res: ServerResponse, method: string, path: string, status: number, body: unknown): void {
    const malformed = takeFault(method, path, ['malformed-json']);
    const text = JSON.stringify(body);
    const payload = Buffer.from(malformed === undefined ? text : `${text.slice(0, Math.floor(text.length / 2))}<html>`);
    const cut = takeFault(method, path, ['cut']);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
    if (cut?.kind === 'cut') {
      cutAfter(res, payload.subarray(0, cut.afterBytes));
      return;
    }
    res.end(payload);
  }

  type Answer = [number, unknown];

  async function answerApi(req: IncomingMessage, method: string, route: string, query: URLSearchParams): Promise<Answer> {
    const [resource, idText, sub] = route.split('/').filter((s) => s !== '');
    const id = idText === undefined ? undefined : Number(idText);
    const isShow = resource === 'shows' && id !== undefined && Number.isInteger(id) && sub === undefined;

    if (resource === 'fileuploads') return uploads.handle(req, method, idText, sub);
    if (resource === 'shows' && method === 'POST' && idText === 'search' && sub === 'advanced') return advancedSearch(await readJson(req));
    if (isShow && method === 'PUT') return updateShow(id, await readJson(req));
    req.resume();
    const notFound: Answer = [404, { message: `No route for ${method} ${route}` }];
    if (method !== 'GET') return notFound;
    if (resource === 'shows' && idText === undefined) return [200, listShows(query)];
    if (isShow) {
      const show = state.shows.get(id);
      // One record, never sideloads (include is ignored): no source shows it on single records.
      return show === undefined ? [404, { message: `No show with id ${id}` }] : [200, { show: served('show', show), meta: null }];
    }
    if (resource === 'vods' && id !== undefined && sub === undefined) {
      const vod = state.vods.get(id);
      return vod === undefined ? [404, { message: `No vod with id ${id}` }] : [200, { vod, meta: null }];
    }
    if (idText !== undefined) return notFound;
    if (resource === 'showfields') return [200, { showFields: state.showFields, fieldDefinitions: state.fieldDefinitions }];
    if (resource === 'locations') return [200, { locations: state.locations }];
    if (resource === 'filestores') {
      const stores = options.fileStoreLocations === false ? state.fileStores.map(({ id, name }) => ({ id, name })) : state.fileStores;
      return [200, { fileStores: stores }];
    }
    return notFound;
  }

  function listShows(query: URLSearchParams): Record<string, unknown> {
    const ids = query.getAll('ids[]').map(Number);
    const location = query.get('location');
    const search = query.get('search')?.toLowerCase();
    const offset = Number(query.get('offset') ?? '0');
    const pageSize = Number(query.get('page_size') ?? '25');
    const matching = [...state.shows.values()]
      .filter((s) => !hidden.show.has(s.id))
      .filter((s) => ids.length === 0 || ids.includes(s.id))
      .filter((s) => location === null || s.location === Number(location))
      .filter((s) => search === undefined || s.title.toLowerCase().includes(search))
      .sort((a, b) => a.id - b.id);
    const first = offsetCounts === 'pages' ? offset * pageSize : offset;
    const page = matching.slice(first, first + pageSize);
    // Real servers report the unfiltered total here, which is why clients must not trust it.
    return {
      shows: page.map((show) => served('show', show)),
      ...sideloads(page, includes(query)),
      meta: { count: state.shows.size, offset, pageSize },
    };
  }

  function includes(query: URLSearchParams): Set<string> {
    return new Set(
      (query.get('include') ?? '')
        .toLowerCase()
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
  }

  function sideloads(shows: ShowRecord[], include: Set<string>): Record<string, unknown> {
    const extra: Record<string, unknown> = {};
    const pick = <T extends { id: number }>(kind: 'reel' | 'vod', ids: number[], records: Map<number, T>): unknown[] =>
      ids.flatMap((id) => {
        const record = records.get(id);
        return record === undefined || hidden[kind].has(id) ? [] : [served(kind, record)];
      });
    if (include.has('reel')) extra.reels = shows.flatMap((s) => pick('reel', s.reels, state.reels));
    if (include.has('vod')) extra.vods = shows.flatMap((s) => pick('vod', s.vods, state.vods));
    return extra;
  }

  /** As trms/wp-cablecast sends it; other filters are unconfirmed, so this server refuses them as a strict one would. */
  function advancedSearch(body: unknown): [number, unknown] {
    const query = dig(body, ['savedShowSearch', 'query']);
    const groups = dig(query, ['groups']);
    if (!Array.isArray(groups)) return [400, { message: 'savedShowSearch.query.groups is required' }];
    const filters = groups.flatMap((g) => {
      const f = dig(g, ['filters']);
      return Array.isArray(f) ? (f as unknown[]) : [];
    });
    let shows = [...state.shows.values()];
    for (const filter of filters) {
      const value = dig(filter, ['searchValue']);
      if (dig(filter, ['field']) !== 'lastModified' || dig(filter, ['operator']) !== 'greaterThan' || typeof value !== 'string') {
        return [400, { message: `The request is invalid: unsupported filter ${JSON.stringify(filter)}` }];
      }
      shows = shows.filter((s) => Date.parse(s.lastModified) > Date.parse(value));
    }
    shows.sort((a, b) => Date.parse(a.lastModified) - Date.parse(b.lastModified));
    return [200, { savedShowSearch: { id: 0, name: '', query, results: shows.map((s) => s.id) } }];
  }

  function updateShow(id: number, body: unknown): [number, unknown] {
    const existing = state.shows.get(id);
    if (existing === undefined) return [404, { message: `No show with id ${id}` }];
    const incoming = dig(body, ['show']);
    if (typeof incoming !== 'object' || incoming === null) return [400, { message: 'body must be {"show": {...}}' }];
    const fields = incoming as Partial<ShowRecord>;
    if (fields.id !== undefined && fields.id !== id) return [400, { message: 'show id does not match the URL' }];
    if (typeof fields.title !== 'string' || fields.title === '') return [400, { message: 'show.title is required' }];
    const customFields = customFieldEntries(existing, fields.customFields ?? []);
    if (typeof customFields === 'string') return [400, { message: customFields }];
    const updated: ShowRecord = { ...existing, ...fields, id, customFields, lastModified: new Date().toISOString() };
    state.shows.set(id, updated);
    return [200, { show: updated }];
  }

  /**
   * Entries as the server stores them, or why it refuses them. A select or tag field holds an
   * option id: text written into one is refused, as the reference says a typed field must be.
   */
  function customFieldEntries(
    show: Pick<ShowRecord, 'customFields'> | undefined,
    incoming: readonly unknown[],
  ): CustomFieldEntry[] | string {
    const entries: CustomFieldEntry[] = [];
    for (const raw of incoming) {
      const showField = dig(raw, ['showField']);
      const value = dig(raw, ['value']) ?? null;
      const field = state.showFields.find((f) => f.id === showField);
      const definition = state.fieldDefinitions.find((d) => d.id === field?.fieldDefinition);
      if (field === undefined || definition === undefined) return `unknown showField ${JSON.stringify(showField)}`;
      const label = fieldLabel(field.id, definition, value);
      if (label !== null && typeof label === 'object') return label.refused;
      entries.push({
        id: show?.customFields.find((e) => e.showField === field.id)?.id ?? newId(),
        showField: field.id,
        value: value as string | number | null,
        type: definition.type,
        fieldName: definition.name,
        fieldValueString: label,
      });
    }
    return entries;
  }

  function fieldLabel(showField: number, definition: FieldDefinitionRecord, value: unknown): string | null | { refused: string } {
    if (value === null) return null;
    if (definition.type === 'string') return typeof value === 'string' ? value : { refused: `field "${definition.name}" takes text` };
    if (definition.type === 'file') {
      return typeof value === 'number' ? String(value) : { refused: `field "${definition.name}" is a file field: value must be a file id` };
    }
    const options = state.fieldOptions.get(showField) ?? [];
    const option = options.find((o) => o.id === value || String(o.id) === value);
    if (option !== undefined) return option.label;
    const known = options.map((o) => `${o.id} ${o.label}`).join(', ');
    return {
      refused: `field "${definition.name}" is a ${definition.type} field: value must be one of its option ids (${known}), got ${JSON.stringify(value)}`,
    };
  }

  function servePlaylist(req: IncomingMessage, res: ServerResponse, vodId: number, file: string): void {
    req.resume();
    const mode = state.playlists.get(vodId) ?? 'none';
    if (mode === 'reset') {
      req.socket.destroy();
      return;
    }
    if (typeof mode === 'object') {
      res.writeHead(mode.status, { 'content-type': 'text/html' });
      return void res.end(`<html><body><h1>${mode.status}</h1></body></html>`);
    }
    const captionsFile = mode === 'subtitles' ? 'captions.en.m3u8' : mode === 'subtitles-legacy' ? 'captions.m3u8' : undefined;
    const body = file === 'vod.m3u8' ? masterPlaylist(mode) : file === captionsFile ? subtitlesPlaylist() : undefined;
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/html' });
      return void res.end('<html><body><h1>404</h1></body></html>');
    }
    res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse, method: string, path: string, file: ServedFile): Promise<void> {
    req.resume();
    const total = Buffer.isBuffer(file) ? file.length : (await stat(file.diskPath)).size;
    const rangeHeader = req.headers.range;
    let start = 0;
    let end = total - 1;
    let status = 200;
    if (rangeHeader !== undefined && takeFault(method, path, ['ignore-range']) === undefined) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim());
      const first = m?.[1] === undefined || m[1] === '' ? undefined : Number(m[1]);
      const last = m?.[2] === undefined || m[2] === '' ? undefined : Number(m[2]);
      if (m === null || (first === undefined && last === undefined)) {
        res.writeHead(416, { 'content-range': `bytes */${total}` });
        return void res.end();
      }
      if (first === undefined) {
        start = Math.max(0, total - (last ?? 0));
      } else {
        start = first;
        end = Math.min(total - 1, last ?? total - 1);
      }
      if (start >= total || start > end) {
        res.writeHead(416, { 'content-range': `bytes */${total}` });
        return void res.end();
      }
      status = 206;
      const wrong = takeFault(method, path, ['wrong-range']);
      const claimedStart = wrong === undefined ? start : 0;
      if (wrong !== undefined) start = 0;
      res.setHeader('content-range', `bytes ${claimedStart}-${end}/${total}`);
    }
    const length = end - start + 1;
    res.writeHead(status, { 'content-type': 'video/mp4', 'content-length': length, 'accept-ranges': 'bytes' });
    const cut = takeFault(method, path, ['cut']);
    const sendEnd = cut?.kind === 'cut' ? Math.min(end, start + cut.afterBytes - 1) : end;
    if (Buffer.isBuffer(file)) {
      if (cut !== undefined) {
        cutAfter(res, file.subarray(start, sendEnd + 1));
        return;
      }
      return void res.end(file.subarray(start, end + 1));
    }
    // 1 MiB reads: with the default 64 KiB, this server, not the client measured, limits a
    // benchmark's download on localhost.
    await pipeline(createReadStream(file.diskPath, { start, end: sendEnd, highWaterMark: 1 << 20 }), res, { end: cut === undefined });
    if (cut !== undefined) cutAfter(res, Buffer.alloc(0));
  }

  function addShow(input: AddShowInput): ShowRecord {
    const id = newId();
    const reels = (input.reels ?? []).map((r, i): ReelRecord => ({
      id: newId(),
      show: id,
      media: null,
      reelNumber: r.reelNumber ?? i + 1,
      cue: 0,
      length: r.length,
    }));
    for (const reel of reels) state.reels.set(reel.id, reel);
    const customFields = customFieldEntries(undefined, input.customFields ?? []);
    if (typeof customFields === 'string') throw new Error(customFields);
    const show = showRecord(id, input, reels, customFields);
    state.shows.set(id, show);
    return show;
  }

  function addVodFile(showId: number, contents: ServedFile, opts: AddVodOptions = {}): VodRecord {
    const show = state.shows.get(showId);
    if (show === undefined) throw new Error(`no show ${showId}`);
    const store = opts.store ?? state.fileStores.find((s) => s.location === show.location)?.id ?? 1;
    const vod = vodRecord({
      id: newId(),
      show,
      origin,
      store,
      version: show.vods.length + 1,
      length: show.totalRunTime,
      lifecycle: opts.lifecycle ?? 'complete',
      fileName: opts.fileName ?? null,
      transactionId: newId(),
    });
    const folder = vodFolder({ show, store, version: show.vods.length + 1 }).toLowerCase();
    state.files.set(`${folder}vod.mp4`, contents);
    vodFolders.set(folder, vod.id);
    state.playlists.set(vod.id, opts.playlist ?? 'none');
    state.vods.set(vod.id, vod);
    show.vods.push(vod.id);
    return vod;
  }

  function addShowField(name: string, type: CustomFieldType = 'string', labels: readonly string[] = []): AddedShowField {
    const definition: FieldDefinitionRecord = { id: newId(), name, type };
    const field: ShowFieldRecord = { id: newId(), fieldDefinition: definition.id };
    const options = labels.map((label) => ({ id: newId(), label }));
    state.fieldDefinitions.push(definition);
    state.showFields.push(field);
    state.fieldOptions.set(field.id, options);
    return { ...field, name, type, options };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/CablecastAPI/v1`,
    origin,
    state,
    requests,
    addShow,
    addVodFile,
    addShowField,
    setPlaylist: (vodId, mode) => void state.playlists.set(vodId, mode),
    hideFromSideloads: (kind, id) => void hidden[kind].add(id),
    hideFromLists: (showId) => void hidden.show.add(showId),
    garble: (kind, id, fields) => void garbled[kind].set(id, fields),
    setOffsetCounts: (mode) => {
      offsetCounts = mode;
    },
    inject: (fault) => void faults.push({ ...fault }),
    endNextUploadIn: (endState) => {
      uploads.endNextUploadIn(endState);
    },
    forgetNextUploadAfter: (segments) => {
      uploads.forgetNextUploadAfter(segments);
    },
    forgetUpload: (id) => {
      uploads.forgetUpload(id);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        }),
      );
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

function matches(match: Match | undefined, method: string, path: string): boolean {
  if (match === undefined) return true;
  if (typeof match === 'string') return path.includes(match.toLowerCase());
  return match.test(`${method} ${path}`);
}
