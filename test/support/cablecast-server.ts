import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MultipartError, parseMultipartToDisk } from './cablecast-multipart.js';

/**
 * A stand-in for a Cablecast server that speaks the shapes of ../shared/reference/cablecast-api.md
 * (envelopes, sideloads, paging, advanced search, show fields, chunked uploads) and can
 * misbehave on request, so clients are tested against the failures real stations produce.
 */

export interface CustomFieldValue {
  showField: number;
  value: string | number | boolean | null;
}

export interface ShowRecord {
  id: number;
  location: number;
  title: string;
  cgTitle: string;
  cgExempt: boolean;
  comments: string;
  eventDate: string;
  lastModified: string;
  created: string;
  category: number | null;
  producer: number | null;
  project: number | null;
  reels: number[];
  vods: number[];
  customFields: CustomFieldValue[];
}

export interface ReelRecord {
  id: number;
  show: number;
  media: number | null;
  reelNumber: number;
  cue: number;
  length: number;
}

export interface VodRecord {
  id: number;
  show: number;
  fileName: string;
  url: string;
  embedCode: string;
  vodConfiguration: number;
  lastTransaction: { id: number; vod: number; transactionType: number; date: string } | null;
}

export interface ShowFieldRecord {
  id: number;
  fieldDefinition: number;
}

export interface FieldDefinitionRecord {
  id: number;
  name: string;
  type: string;
}

export type UploadState = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface FileUploadRecord {
  id: number;
  fileName: string;
  destinationStore: number;
  totalSegments: number;
  size: number;
  state: UploadState;
  asset: number | null;
}

export interface UploadRecord {
  fileUpload: FileUploadRecord;
  /** Received segments by index: where their bytes are on disk. */
  segments: Map<number, { path: string; size: number }>;
  endState: 0 | 5 | 6;
  forgetAfterSegments: number | undefined;
}

/** VOD file contents: small ones in memory, big ones (benchmarks) on disk. */
export type ServedFile = Buffer | { diskPath: string };

export interface ServerState {
  shows: Map<number, ShowRecord>;
  reels: Map<number, ReelRecord>;
  vods: Map<number, VodRecord>;
  showFields: ShowFieldRecord[];
  fieldDefinitions: FieldDefinitionRecord[];
  locations: { id: number; name: string }[];
  fileStores: { id: number; name: string; location: number }[];
  fileUploads: Map<number, UploadRecord>;
  /** VOD files by URL path (lower case), e.g. `/vod-files/7/vod.mp4`. */
  files: Map<string, ServedFile>;
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
}

export interface CablecastServerOptions {
  username?: string;
  password?: string;
  /** Which requests need credentials; defaults to 'writes' when a username is set. */
  requireAuth?: 'writes' | 'all';
  /** Serve HTTPS with this (typically self-signed) certificate, as many stations do. */
  tls?: { key: string; cert: string };
}

export interface AddShowInput {
  title: string;
  location?: number;
  cgTitle?: string;
  cgExempt?: boolean;
  comments?: string;
  eventDate?: string;
  lastModified?: string;
  reels?: { length: number; reelNumber?: number }[];
  customFields?: CustomFieldValue[];
}

export interface CablecastServer {
  /** Base API URL, `http(s)://127.0.0.1:<port>/CablecastAPI/v1`. */
  url: string;
  origin: string;
  state: ServerState;
  requests: RequestLogEntry[];
  addShow(input: AddShowInput): ShowRecord;
  addVodFile(showId: number, contents: ServedFile, options?: { ready?: boolean; fileName?: string }): VodRecord;
  addShowField(name: string, type?: string): ShowFieldRecord;
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
    storedFiles: new Map(),
    receivedSegments: [],
  };
  const faults: Fault[] = [];
  const requests: RequestLogEntry[] = [];
  const uploadPlans = { endState: [] as (0 | 6)[], forgetAfter: [] as number[] };
  let nextId = 1000;
  const newId = (): number => ++nextId;
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
    requests.push({ method, path: parsed.pathname, query: parsed.search, range: req.headers.range, authenticated });

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

    const file = state.files.get(path);
    if (file !== undefined && (method === 'GET' || method === 'HEAD')) return serveFile(req, res, method, path, file);
    if (!path.startsWith(apiPrefix)) {
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    const route = path.slice(apiPrefix.length).replace(/\/+$/, '');
    const [status, body] = await routeApi(req, method, route, parsed.searchParams);
    sendApiJson(res, method, path, status, body);
  }

  function sendApiJson(res: ServerResponse, method: string, path: string, status: number, body: unknown): void {
    const malformed = takeFault(method, path, ['malformed-json']);
    const text = JSON.stringify(body);
    const payload = Buffer.from(malformed === undefined ? text : `${text.slice(0, Math.floor(text.length / 2))}<html>`);
    const cut = takeFault(method, path, ['cut']);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
    if (cut?.kind === 'cut') cutAfter(res, payload.subarray(0, cut.afterBytes));
    else res.end(payload);
  }

  /** The status and JSON body of an API request. */
  async function routeApi(req: IncomingMessage, method: string, route: string, query: URLSearchParams): Promise<[number, unknown]> {
    const segments = route.split('/').filter((s) => s !== '');
    const [resource, idText, sub] = segments;
    const id = idText === undefined ? undefined : Number(idText);

    if (resource === 'shows' && method === 'GET' && idText === undefined) return [200, listShows(query)];
    if (resource === 'shows' && method === 'POST' && idText === 'search' && sub === 'advanced') {
      return advancedSearch(await readJson(req));
    }
    if (resource === 'shows' && id !== undefined && Number.isInteger(id) && sub === undefined) {
      const show = state.shows.get(id);
      if (method === 'GET') {
        req.resume();
        if (show === undefined) return [404, { message: `No show with id ${id}` }];
        return [200, { show, ...sideloads([show], includes(query)) }];
      }
      if (method === 'PUT') return updateShow(id, await readJson(req));
    }
    if (resource === 'vods' && method === 'GET' && id !== undefined && sub === undefined) {
      req.resume();
      const vod = state.vods.get(id);
      return vod === undefined ? [404, { message: `No vod with id ${id}` }] : [200, { vod }];
    }
    if (resource === 'showfields' && method === 'GET' && idText === undefined) {
      req.resume();
      return [200, { showFields: state.showFields, fieldDefinitions: state.fieldDefinitions }];
    }
    if (resource === 'locations' && method === 'GET' && idText === undefined) {
      req.resume();
      return [200, { locations: state.locations }];
    }
    if (resource === 'filestores' && method === 'GET' && idText === undefined) {
      req.resume();
      return [200, { fileStores: state.fileStores }];
    }
    if (resource === 'fileuploads') {
      if (method === 'POST' && idText === undefined) return createUpload(await readJson(req));
      if (id !== undefined && Number.isInteger(id)) {
        const upload = state.fileUploads.get(id);
        if (upload === undefined) {
          req.resume();
          return [404, { message: `No file upload with id ${id}` }];
        }
        if (method === 'POST' && sub === 'upload') return receiveSegment(req, upload);
        if (method === 'PUT' && sub === undefined) return completeUpload(upload, await readJson(req));
        if (method === 'GET' && sub === undefined) {
          req.resume();
          return [200, { fileUpload: await pollUpload(upload) }];
        }
      }
    }
    req.resume();
    return [404, { message: `No route for ${method} ${route}` }];
  }

  function listShows(query: URLSearchParams): Record<string, unknown> {
    const ids = query.getAll('ids[]').map(Number);
    const location = query.get('location');
    const search = query.get('search')?.toLowerCase();
    const offset = Number(query.get('offset') ?? '0');
    const pageSize = Number(query.get('page_size') ?? '25');
    const matching = [...state.shows.values()]
      .filter((s) => ids.length === 0 || ids.includes(s.id))
      .filter((s) => location === null || s.location === Number(location))
      .filter((s) => search === undefined || s.title.toLowerCase().includes(search))
      .sort((a, b) => a.id - b.id);
    const page = matching.slice(offset, offset + pageSize);
    // Real servers report the unfiltered total here, which is why clients must not trust it.
    return { shows: page, ...sideloads(page, includes(query)), meta: { count: state.shows.size, offset, pageSize } };
  }

  function includes(query: URLSearchParams): Set<string> {
    return new Set(
      (query.get('include') ?? '')
        .toLowerCase()
        .split(',')
        .map((s) => s.trim().replace(/s$/, ''))
        .filter((s) => s !== ''),
    );
  }

  function sideloads(shows: ShowRecord[], include: Set<string>): Record<string, unknown> {
    const extra: Record<string, unknown> = {};
    if (include.has('reel')) extra.reels = shows.flatMap((s) => s.reels.map((r) => state.reels.get(r)).filter(isDefined));
    if (include.has('vod')) extra.vods = shows.flatMap((s) => s.vods.map((v) => state.vods.get(v)).filter(isDefined));
    return extra;
  }

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
      const field = dig(filter, ['field']);
      const operator = dig(filter, ['operator']);
      const value = dig(filter, ['searchValue']);
      if (field === 'lastModified' && operator === 'greaterThan' && typeof value === 'string') {
        shows = shows.filter((s) => Date.parse(s.lastModified) > Date.parse(value));
      } else if (field === 'location' && operator === 'equals') {
        shows = shows.filter((s) => s.location === Number(value));
      } else {
        return [400, { message: `unsupported filter ${JSON.stringify(filter)}` }];
      }
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
    const customFields = fields.customFields ?? [];
    const unknownField = customFields.find((cf) => !state.showFields.some((sf) => sf.id === cf.showField));
    if (unknownField !== undefined) return [400, { message: `unknown showField ${unknownField.showField}` }];
    const updated: ShowRecord = { ...existing, ...fields, id, customFields, lastModified: new Date().toISOString() };
    state.shows.set(id, updated);
    return [200, { show: updated }];
  }

  function createUpload(body: unknown): [number, unknown] {
    const input = dig(body, ['fileUpload']);
    const fileName = dig(input, ['fileName']);
    const destinationStore = dig(input, ['destinationStore']);
    const totalSegments = dig(input, ['totalSegments']);
    const size = dig(input, ['size']);
    if (typeof fileName !== 'string' || fileName === '' || typeof totalSegments !== 'number' || totalSegments < 1) {
      return [400, { message: 'fileUpload.fileName and totalSegments are required' }];
    }
    if (typeof destinationStore !== 'number' || !state.fileStores.some((s) => s.id === destinationStore)) {
      return [400, { message: `unknown destinationStore ${String(destinationStore)}` }];
    }
    if (typeof size !== 'number' || size < 0) return [400, { message: 'fileUpload.size is required' }];
    const fileUpload: FileUploadRecord = { id: newId(), fileName, destinationStore, totalSegments, size, state: 1, asset: null };
    state.fileUploads.set(fileUpload.id, {
      fileUpload,
      segments: new Map(),
      endState: uploadPlans.endState.shift() ?? 5,
      forgetAfterSegments: uploadPlans.forgetAfter.shift(),
    });
    return [200, { fileUpload }];
  }

  async function receiveSegment(req: IncomingMessage, upload: UploadRecord): Promise<[number, unknown]> {
    if (upload.fileUpload.state !== 1) {
      req.resume();
      return [400, { message: `upload ${upload.fileUpload.id} is not accepting segments (state ${upload.fileUpload.state})` }];
    }
    const dir = join(workDir, 'uploads', String(upload.fileUpload.id));
    await mkdir(dir, { recursive: true });
    let form;
    try {
      form = await parseMultipartToDisk(req, dir, `incoming-${newId()}`);
    } catch (error) {
      if (error instanceof MultipartError) return [400, { message: error.message }];
      throw error;
    }
    const index = Number(form.fields.get('segment'));
    const file = form.files.get('file');
    if (!Number.isInteger(index) || index < 0 || index >= upload.fileUpload.totalSegments || file === undefined) {
      await Promise.all([...form.files.values()].map((f) => rm(f.path, { force: true })));
      return [400, { message: 'multipart fields "segment" (0-based index) and "file" are required' }];
    }
    const segmentPath = join(dir, `segment-${index}`);
    await rename(file.path, segmentPath);
    upload.segments.set(index, { path: segmentPath, size: file.size });
    state.receivedSegments.push({ upload: upload.fileUpload.id, segment: index });
    if (upload.forgetAfterSegments !== undefined && upload.segments.size >= upload.forgetAfterSegments) {
      forgetUpload(upload.fileUpload.id);
    }
    return [200, { fileUpload: upload.fileUpload }];
  }

  function completeUpload(upload: UploadRecord, body: unknown): [number, unknown] {
    const requested = dig(body, ['fileUpload', 'state']);
    if (requested !== 2) return [400, { message: 'only {"fileUpload":{"state":2}} is accepted' }];
    if (upload.fileUpload.state === 1) upload.fileUpload.state = 2;
    return [200, { fileUpload: upload.fileUpload }];
  }

  /** Each poll moves a finished upload one step: 2 -> 3 -> 4 -> 5 (or its planned failure). */
  async function pollUpload(upload: UploadRecord): Promise<FileUploadRecord> {
    const record = upload.fileUpload;
    if (record.state === 2) {
      const received = [...upload.segments.values()].reduce((sum, s) => sum + s.size, 0);
      const complete = upload.segments.size === record.totalSegments && received === record.size;
      record.state = complete ? 3 : 0;
    } else if (record.state === 3) {
      record.state = 4;
    } else if (record.state === 4) {
      if (upload.endState === 5) {
        await assemble(upload);
        record.asset = newId();
      }
      record.state = upload.endState;
    }
    return record;
  }

  async function assemble(upload: UploadRecord): Promise<void> {
    const { destinationStore, fileName, totalSegments } = upload.fileUpload;
    const storeDir = join(workDir, 'stores', String(destinationStore));
    await mkdir(storeDir, { recursive: true });
    const target = join(storeDir, fileName.replace(/[/\\]/g, '_'));
    const out = await open(target, 'w');
    try {
      for (let index = 0; index < totalSegments; index += 1) {
        const segment = upload.segments.get(index);
        if (segment === undefined) throw new Error(`segment ${index} missing`);
        for await (const chunk of createReadStream(segment.path)) await out.write(chunk as Buffer);
      }
    } finally {
      await out.close();
    }
    state.storedFiles.set(`${destinationStore}/${fileName}`, target);
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
    if (method === 'HEAD') return void res.end();
    const cut = takeFault(method, path, ['cut']);
    const sendEnd = cut?.kind === 'cut' ? Math.min(end, start + cut.afterBytes - 1) : end;
    if (Buffer.isBuffer(file)) {
      if (cut !== undefined) cutAfter(res, file.subarray(start, sendEnd + 1));
      else res.end(file.subarray(start, end + 1));
      return;
    }
    await pipeline(createReadStream(file.diskPath, { start, end: sendEnd }), res, { end: cut === undefined });
    if (cut !== undefined) cutAfter(res, Buffer.alloc(0));
  }

  function addShow(input: AddShowInput): ShowRecord {
    const id = newId();
    const now = new Date().toISOString();
    const reels = (input.reels ?? []).map((r, i): ReelRecord => ({
      id: newId(),
      show: id,
      media: null,
      reelNumber: r.reelNumber ?? i + 1,
      cue: 0,
      length: r.length,
    }));
    for (const reel of reels) state.reels.set(reel.id, reel);
    const show: ShowRecord = {
      id,
      location: input.location ?? 1,
      title: input.title,
      cgTitle: input.cgTitle ?? input.title,
      cgExempt: input.cgExempt ?? false,
      comments: input.comments ?? '',
      eventDate: input.eventDate ?? now,
      lastModified: input.lastModified ?? now,
      created: now,
      category: null,
      producer: null,
      project: null,
      reels: reels.map((r) => r.id),
      vods: [],
      customFields: input.customFields ?? [],
    };
    state.shows.set(id, show);
    return show;
  }

  function addVodFile(showId: number, contents: ServedFile, opts: { ready?: boolean; fileName?: string } = {}): VodRecord {
    const show = state.shows.get(showId);
    if (show === undefined) throw new Error(`no show ${showId}`);
    const id = newId();
    const path = `/vod-files/${id}/vod.mp4`;
    state.files.set(path, contents);
    const vod: VodRecord = {
      id,
      show: showId,
      fileName: opts.fileName ?? `${showId}-1-${show.title}.mp4`,
      url: `${origin}${path}`,
      embedCode: `<iframe src="${origin}/vod-files/${id}/"></iframe>`,
      vodConfiguration: 1,
      lastTransaction: { id: newId(), vod: id, transactionType: opts.ready === false ? 1 : 5, date: new Date().toISOString() },
    };
    state.vods.set(id, vod);
    show.vods.push(id);
    return vod;
  }

  function addShowField(name: string, type = 'Text'): ShowFieldRecord {
    const definition: FieldDefinitionRecord = { id: newId(), name, type };
    const field: ShowFieldRecord = { id: newId(), fieldDefinition: definition.id };
    state.fieldDefinitions.push(definition);
    state.showFields.push(field);
    return field;
  }

  function forgetUpload(id: number): void {
    state.fileUploads.delete(id);
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
    inject: (fault) => void faults.push({ ...fault }),
    endNextUploadIn: (endState) => void uploadPlans.endState.push(endState),
    forgetNextUploadAfter: (segments) => void uploadPlans.forgetAfter.push(segments),
    forgetUpload,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      });
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

function matches(match: Match | undefined, method: string, path: string): boolean {
  if (match === undefined) return true;
  if (typeof match === 'string') return path.includes(match.toLowerCase());
  return match.test(`${method} ${path}`);
}

/** Sends what the fault allows of the body, then kills the connection as a dropped link would. */
function cutAfter(res: ServerResponse, partial: Buffer): void {
  res.write(partial, () => res.socket?.destroy());
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
  res.end(payload);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function dig(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
