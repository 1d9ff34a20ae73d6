import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';

export interface MultipartFile {
  path: string;
  size: number;
  filename: string;
}

export interface MultipartResult {
  fields: Map<string, string>;
  files: Map<string, MultipartFile>;
}

export class MultipartError extends Error {}

type State = 'preamble' | 'headers' | 'body' | 'after-delimiter' | 'done';

interface CurrentPart {
  name: string;
  file?: { handle: FileHandle; info: MultipartFile };
  text?: Buffer[];
}

/**
 * A streaming multipart/form-data parser: file parts go straight to disk in `dir`, so a
 * many-megabyte segment costs no more memory than one socket read plus a delimiter's length.
 */
export async function parseMultipartToDisk(req: IncomingMessage, dir: string, prefix: string): Promise<MultipartResult> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
  const boundaryText = boundary?.[1] ?? boundary?.[2];
  if (boundaryText === undefined) throw new MultipartError('not multipart/form-data');
  const firstDelimiter = Buffer.from(`--${boundaryText}`);
  const delimiter = Buffer.from(`\r\n--${boundaryText}`);
  const result: MultipartResult = { fields: new Map(), files: new Map() };
  let state: State = 'preamble';
  let carry: Buffer = Buffer.alloc(0);
  let current: CurrentPart | undefined;
  let fileCount = 0;

  const emit = async (data: Buffer): Promise<void> => {
    if (current === undefined || data.length === 0) return;
    if (current.file !== undefined) {
      await current.file.handle.write(data);
      current.file.info.size += data.length;
    } else {
      current.text?.push(Buffer.from(data));
    }
  };
  const finishPart = async (): Promise<void> => {
    if (current === undefined) return;
    if (current.file !== undefined) {
      await current.file.handle.close();
      result.files.set(current.name, current.file.info);
    } else {
      result.fields.set(current.name, Buffer.concat(current.text ?? []).toString('utf8'));
    }
    current = undefined;
  };

  try {
    for await (const chunk of req) {
      carry = carry.length === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
      let progressed = true;
      while (progressed) {
        progressed = false;
        if (state === 'preamble') {
          const at = carry.indexOf(firstDelimiter);
          if (at !== -1) {
            carry = carry.subarray(at + firstDelimiter.length);
            state = 'after-delimiter';
            progressed = true;
          }
        } else if (state === 'after-delimiter') {
          if (carry.length >= 2) {
            const marker = carry.subarray(0, 2).toString('latin1');
            if (marker === '--') state = 'done';
            else if (marker === '\r\n') state = 'headers';
            else throw new MultipartError('malformed delimiter');
            carry = carry.subarray(2);
            progressed = state !== 'done';
          }
        } else if (state === 'headers') {
          const end = carry.indexOf('\r\n\r\n');
          if (end !== -1) {
            const head = carry.subarray(0, end).toString('utf8');
            carry = carry.subarray(end + 4);
            const disposition = /content-disposition:[^\r\n]*?\bname="([^"]*)"(?:[^\r\n]*?\bfilename="([^"]*)")?/i.exec(head);
            if (disposition?.[1] === undefined) throw new MultipartError('part without a name');
            const filename = disposition[2];
            if (filename === undefined) {
              current = { name: disposition[1], text: [] };
            } else {
              fileCount += 1;
              const path = join(dir, `${prefix}-${fileCount}.part`);
              current = { name: disposition[1], file: { handle: await open(path, 'w'), info: { path, size: 0, filename } } };
            }
            state = 'body';
            progressed = true;
          }
        } else if (state === 'body') {
          const at = carry.indexOf(delimiter);
          if (at === -1) {
            const safe = carry.length - (delimiter.length - 1);
            if (safe > 0) {
              await emit(carry.subarray(0, safe));
              carry = carry.subarray(safe);
            }
          } else {
            await emit(carry.subarray(0, at));
            await finishPart();
            carry = carry.subarray(at + delimiter.length);
            state = 'after-delimiter';
            progressed = true;
          }
        }
      }
    }
  } finally {
    if (current?.file !== undefined) await current.file.handle.close();
  }
  if (state !== 'done') throw new MultipartError('multipart body ended early');
  return result;
}
