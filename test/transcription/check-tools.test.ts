import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTools, findExecutable, firstLine } from '../../src/lib/doctor/check-tools.js';
import { STUB_BIN } from '../support/engines/stub-engines.js';
import { stringMatching } from '../support/matchers.js';

let dir: string;
const PATH = process.env.PATH ?? '/usr/bin:/bin';
const withStubs = () => ({ env: { PATH: `${STUB_BIN}:${PATH}` }, cwd: dir });
const plain = () => ({ env: { PATH }, cwd: dir });
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-doctor-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkTools', () => {
  it('finds ffmpeg, ffprobe and each engine, with what each says about itself', async () => {
    const checks = await checkTools({ kind: 'faster-whisper', model: 'large-v2', language: 'en', args: [] }, withStubs());
    const byTool = new Map(checks.map((c) => [c.tool, c]));
    expect(byTool.get('ffmpeg')).toMatchObject({
      found: true,
      required: true,
      path: '/usr/bin/ffmpeg',
      version: stringMatching(/^ffmpeg version /),
    });
    expect(byTool.get('ffprobe')).toMatchObject({ found: true, required: true, version: stringMatching(/^ffprobe version /) });
    expect(byTool.get('faster-whisper')).toMatchObject({
      found: true,
      required: true,
      command: 'whisper-ctranslate2',
      version: stringMatching(/^usage: whisper-ctranslate2 /),
    });
    expect(byTool.get('whisper-cpp')).toMatchObject({
      found: true,
      required: false,
      path: join(STUB_BIN, 'whisper-cli'),
      version: stringMatching(/^usage: /),
    });
    expect(byTool.get('openai-whisper')).toMatchObject({
      found: true,
      required: false,
      version: stringMatching(/^usage: whisper /),
    });
    expect(checks.every((c) => c.problem === undefined)).toBe(true);
  });

  it('reports a missing engine without throwing', async () => {
    const checks = await checkTools(
      { kind: 'whisper-cpp', command: 'archivist-no-whisper', model: 'm.bin', language: 'en', args: [] },
      plain(),
    );
    expect(checks.find((c) => c.tool === 'whisper-cpp')).toEqual({
      tool: 'whisper-cpp',
      command: 'archivist-no-whisper',
      required: true,
      found: false,
      problem: 'archivist-no-whisper not found on PATH',
    });
  });

  it('reports an engine that fails to answer', async () => {
    const broken = join(dir, 'whisper-cli-broken');
    await writeFile(broken, '#!/bin/sh\necho "error while loading shared libraries: libggml.so" >&2\nexit 127\n');
    await chmod(broken, 0o755);
    const checks = await checkTools({ kind: 'whisper-cpp', command: broken, model: 'm.bin', language: 'en', args: [] }, plain());
    expect(checks.find((c) => c.tool === 'whisper-cpp')).toMatchObject({
      found: true,
      path: broken,
      version: 'error while loading shared libraries: libggml.so',
      problem: `${broken} -h failed: exit 127`,
    });
    const crashing = join(dir, 'whisper-cli-crashing');
    await writeFile(crashing, '#!/bin/sh\nkill -ILL $$\n');
    await chmod(crashing, 0o755);
    const crashed = await checkTools({ kind: 'whisper-cpp', command: crashing, model: 'm.bin', language: 'en', args: [] }, plain());
    expect(crashed.find((c) => c.tool === 'whisper-cpp')?.problem).toBe(`${crashing} -h failed: killed by SIGILL`);
  });
});

describe('findExecutable', () => {
  it('searches PATH for bare names and skips files that are not executable', async () => {
    const plain = join(dir, 'not-exec');
    await writeFile(plain, 'data');
    expect(await findExecutable('not-exec', { PATH: dir }, dir)).toBeUndefined();
    await mkdir(join(dir, 'ffmpeg'));
    expect(await findExecutable('ffmpeg', { PATH: `${dir}:/usr/bin` }, dir)).toBe('/usr/bin/ffmpeg');
    expect(await findExecutable('ffmpeg', { PATH: `/nonexistent:/usr/bin` }, dir)).toBe('/usr/bin/ffmpeg');
    expect(await findExecutable('/usr/bin/ffprobe', { PATH: '' }, dir)).toBe('/usr/bin/ffprobe');
  });

  it('takes the first non-empty line', () => {
    expect(firstLine('\n\nusage: whisper-cli [options]\nmore')).toBe('usage: whisper-cli [options]');
    expect(firstLine('')).toBeUndefined();
  });
});
