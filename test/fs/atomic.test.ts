import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TargetExistsError, renameIntoPlace, writeFileAtomic } from '../../src/lib/fs/atomic.js';

describe('renameIntoPlace', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'archivist-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives a temp file its name when nothing is there', async () => {
    await writeFile(join(dir, 'a.tmp'), 'new');
    await renameIntoPlace(join(dir, 'a.tmp'), join(dir, 'a.vtt'));
    expect(await readdir(dir)).toEqual(['a.vtt']);
    expect(await readFile(join(dir, 'a.vtt'), 'utf8')).toBe('new');
  });

  it('refuses to replace a file it was not told is ours, and leaves both files as they were', async () => {
    await writeFile(join(dir, 'a.tmp'), 'new');
    await writeFile(join(dir, 'a.vtt'), 'someone else');
    const error = await renameIntoPlace(join(dir, 'a.tmp'), join(dir, 'a.vtt')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetExistsError);
    expect(error).toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(dir, 'a.vtt'), 'utf8')).toBe('someone else');
    expect(await readFile(join(dir, 'a.tmp'), 'utf8')).toBe('new');
  });

  it('replaces a file the caller says is ours', async () => {
    await writeFile(join(dir, 'a.tmp'), 'new');
    await writeFile(join(dir, 'a.vtt'), 'our old one');
    await renameIntoPlace(join(dir, 'a.tmp'), join(dir, 'a.vtt'), { replaceOurs: true });
    expect(await readdir(dir)).toEqual(['a.vtt']);
    expect(await readFile(join(dir, 'a.vtt'), 'utf8')).toBe('new');
  });

  it('backs writeFileAtomic: exclusive refuses, otherwise replaces, and no temp file is left', async () => {
    const target = join(dir, 'unit.service');
    await writeFileAtomic(target, 'one', { exclusive: true });
    await expect(writeFileAtomic(target, 'two', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' });
    await writeFileAtomic(target, 'three');
    expect(await readdir(dir)).toEqual(['unit.service']);
    expect(await readFile(target, 'utf8')).toBe('three');
  });
});
