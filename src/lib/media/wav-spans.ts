import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { renameIntoPlace, tempPathFor } from '../fs/atomic.js';
import type { SampleSpan } from './speech-spans.js';

/** Where a PCM WAV's samples are, as the extraction wrote it. */
export interface WavLayout {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Whole sample frames in the data chunk. */
  frames: number;
}

const HEADER_READ = 4096;

/**
 * Reads the chunk list of a WAV ffmpeg wrote (RIFF, `fmt `, maybe `LIST`, `data`). A data size
 * of 0xFFFFFFFF or past the end (a file over 4 GiB) means "to the end of the file".
 */
export async function readWavLayout(path: string): Promise<WavLayout> {
  const handle = await open(path, 'r');
  let head: Buffer;
  let fileBytes: number;
  try {
    head = Buffer.alloc(HEADER_READ);
    const { bytesRead } = await handle.read(head, 0, HEADER_READ, 0);
    head = head.subarray(0, bytesRead);
    fileBytes = (await handle.stat()).size;
  } finally {
    await handle.close();
  }
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path} is not a RIFF/WAVE file`);
  }
  let fmt: Omit<WavLayout, 'dataOffset' | 'frames'> | undefined;
  for (let pos = 12; pos + 8 <= head.length;) {
    const id = head.toString('ascii', pos, pos + 4);
    const size = head.readUInt32LE(pos + 4);
    if (id === 'fmt ' && pos + 24 <= head.length) {
      fmt = { channels: head.readUInt16LE(pos + 10), sampleRate: head.readUInt32LE(pos + 12), bitsPerSample: head.readUInt16LE(pos + 22) };
    } else if (id === 'data') {
      if (!fmt) break;
      const dataOffset = pos + 8;
      const bytes = Math.min(size, fileBytes - dataOffset);
      return { ...fmt, dataOffset, frames: Math.floor(bytes / frameBytes(fmt)) };
    }
    pos += 8 + size + (size % 2);
  }
  throw new Error(`${path} has no fmt chunk before its data chunk in its first ${HEADER_READ} bytes`);
}

function frameBytes(fmt: Pick<WavLayout, 'channels' | 'bitsPerSample'>): number {
  return fmt.channels * (fmt.bitsPerSample / 8);
}

/** The canonical 44-byte PCM header. */
function pcmHeader(layout: WavLayout, frames: number): Buffer {
  const block = frameBytes(layout);
  const dataBytes = frames * block;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(layout.channels, 22);
  header.writeUInt32LE(layout.sampleRate, 24);
  header.writeUInt32LE(layout.sampleRate * block, 28);
  header.writeUInt16LE(block, 32);
  header.writeUInt16LE(layout.bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(Math.min(0xffffffff, dataBytes), 40);
  return header;
}

/**
 * Writes `target` as a WAV holding only `spans` of `source`'s samples, back to back, by byte
 * ranges: no decoding, so every kept sample is the extracted one and the time map is exact.
 * The target appears only when complete.
 */
export async function writeWavSpans(source: string, layout: WavLayout, spans: readonly SampleSpan[], target: string): Promise<void> {
  const block = frameBytes(layout);
  const frames = spans.reduce((sum, span) => sum + span.end - span.start, 0);
  const temp = tempPathFor(target);
  try {
    const out = createWriteStream(temp, { flags: 'wx' });
    const chunks = async function* (): AsyncGenerator<Buffer> {
      yield pcmHeader(layout, frames);
      for (const span of spans) {
        if (span.end <= span.start) continue;
        const start = layout.dataOffset + span.start * block;
        yield* createReadStream(source, { start, end: start + (span.end - span.start) * block - 1 }) as AsyncIterable<Buffer>;
      }
    };
    await pipeline(chunks, out);
    const written = (await stat(temp)).size;
    if (written !== 44 + frames * block) {
      throw new Error(`${source} is shorter than its data chunk says: wrote ${written - 44} of ${frames * block} sample bytes`);
    }
    await renameIntoPlace(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
