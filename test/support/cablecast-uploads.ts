import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { MultipartError, parseMultipartToDisk } from './cablecast-multipart.js';
import { dig, readJson } from './cablecast-http.js';

/**
 * The chunked upload API (`/fileuploads`) as trms/cablecast-api-examples js/file-upload.mjs
 * drives it: create, one multipart POST per segment, PUT state 2, poll until 5 (or 0/6).
 */

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

export interface UploadStore {
  fileStores: { id: number; name: string; location: number }[];
  fileUploads: Map<number, UploadRecord>;
  /** Finished uploads assembled on disk, keyed `<storeId>/<fileName>`. */
  storedFiles: Map<string, string>;
  /** Every segment received, in arrival order: shows what a resumed upload sent again. */
  receivedSegments: { upload: number; segment: number }[];
}

export interface UploadEndpoints {
  /** Answers a `/fileuploads` request. */
  handle(req: IncomingMessage, method: string, idText: string | undefined, sub: string | undefined): Promise<[number, unknown]>;
  endNextUploadIn(state: 0 | 6): void;
  forgetNextUploadAfter(segments: number): void;
  forgetUpload(id: number): void;
}

export function uploadEndpoints(state: UploadStore, workDir: string, newId: () => number): UploadEndpoints {
  const plans = { endState: [] as (0 | 6)[], forgetAfter: [] as number[] };

  function forgetUpload(id: number): void {
    state.fileUploads.delete(id);
  }

  function create(body: unknown): [number, unknown] {
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
      endState: plans.endState.shift() ?? 5,
      forgetAfterSegments: plans.forgetAfter.shift(),
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

  function complete(upload: UploadRecord, body: unknown): [number, unknown] {
    const requested = dig(body, ['fileUpload', 'state']);
    if (requested !== 2) return [400, { message: 'only {"fileUpload":{"state":2}} is accepted' }];
    if (upload.fileUpload.state === 1) upload.fileUpload.state = 2;
    return [200, { fileUpload: upload.fileUpload }];
  }

  /** Each poll moves a finished upload one step: 2 -> 3 -> 4 -> 5 (or its planned failure). */
  async function poll(upload: UploadRecord): Promise<FileUploadRecord> {
    const record = upload.fileUpload;
    if (record.state === 2) {
      const received = [...upload.segments.values()].reduce((sum, s) => sum + s.size, 0);
      const whole = upload.segments.size === record.totalSegments && received === record.size;
      record.state = whole ? 3 : 0;
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

  return {
    async handle(req, method, idText, sub) {
      if (method === 'POST' && idText === undefined) return create(await readJson(req));
      const upload = idText === undefined ? undefined : state.fileUploads.get(Number(idText));
      if (upload === undefined) {
        req.resume();
        return [404, { message: `No file upload with id ${String(idText)}` }];
      }
      if (method === 'POST' && sub === 'upload') return receiveSegment(req, upload);
      if (method === 'PUT' && sub === undefined) return complete(upload, await readJson(req));
      req.resume();
      if (method === 'GET' && sub === undefined) return [200, { fileUpload: await poll(upload) }];
      return [404, { message: `No route for ${method} fileuploads/${upload.fileUpload.id}/${sub ?? ''}` }];
    },
    endNextUploadIn: (endState) => void plans.endState.push(endState),
    forgetNextUploadAfter: (segments) => void plans.forgetAfter.push(segments),
    forgetUpload,
  };
}
