import fc from 'fast-check';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PathEscapeError, confinedPath, safeBaseName } from '../../src/lib/fs/safe-path.js';

/** Everything a hostile name is made of, mixed with ordinary text. */
const hostileChar = fc.oneof(
  fc.constantFrom('/', '\\', '.', '..', '\0', '\u001b', '\u0007', '\u009b', '\u007f', '\n', ' ', ':', '*', '"', '|', 'é', '😀'),
  fc.string({ unit: 'binary', maxLength: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const hostileName = fc.array(hostileChar, { maxLength: 120 }).map((parts) => parts.join(''));

function hasControlOrSeparator(name: string): boolean {
  return Array.from(name).some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || char === '/' || char === '\\';
  });
}

describe('safeBaseName', () => {
  it('always gives one non-empty, bounded, separator- and control-free name that cannot leave its directory', () => {
    fc.assert(
      fc.property(hostileName, fc.integer({ min: 1, max: 255 }), (raw, maxBytes) => {
        const name = safeBaseName(raw, { maxBytes });
        expect(name.length).toBeGreaterThan(0);
        expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(Math.max(maxBytes, 'unnamed'.length));
        expect(hasControlOrSeparator(name)).toBe(false);
        expect(name.startsWith('.')).toBe(false);
        expect(name).not.toMatch(/[. ]$/);
        expect(basename(name)).toBe(name);
        // Well-formed UTF-16: survives a round trip through UTF-8 unchanged.
        expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
        expect(relative('/root', join('/root', name)).split(sep)).toEqual([name]);
        expect(safeBaseName(name, { maxBytes })).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves an ordinary name alone, so a sidecar keeps its video base name', () => {
    const ordinary = fc
      .array(fc.constantFrom('a', 'b', 'X', 'Z', '0', '9', ' ', '-', '_', '(', ')', '#', '&', ',', "'", 'é', 'ø', '😀'), {
        minLength: 1,
        maxLength: 60,
      })
      .map((chars) => `${chars.join('').trim() || 'x'}.mp4`);
    fc.assert(
      fc.property(ordinary, (name) => {
        expect(safeBaseName(name)).toBe(name);
      }),
    );
    expect(safeBaseName('1234-1 Lake Elmo Council 3..4..25.mp4')).toBe('1234-1 Lake Elmo Council 3..4..25.mp4');
  });

  it('turns traversal, controls and separators into one plain name', () => {
    expect(safeBaseName('../../../../srv/precious.txt')).toBe('___.._.._.._srv_precious.txt');
    expect(safeBaseName('..')).toBe('__');
    expect(safeBaseName('.')).toBe('_');
    expect(safeBaseName('.archivist-0123456789ab-x.mp4.tmp')).toBe('_archivist-0123456789ab-x.mp4.tmp');
    expect(safeBaseName('show\u001b]0;owned\u0007.mp4')).toBe('show_]0;owned_.mp4');
    expect(safeBaseName('a\0b.mp4')).toBe('a_b.mp4');
    expect(safeBaseName('C:\\clips\\a.mp4')).toBe('C__clips_a.mp4');
    expect(safeBaseName('')).toBe('unnamed');
    expect(safeBaseName(' . . ')).toBe('unnamed');
    expect(safeBaseName('', { fallback: 'show 12' })).toBe('show 12');
  });

  it('shortens long names in whole characters and keeps the extension', () => {
    const long = `${'é'.repeat(300)}.mp4`;
    const name = safeBaseName(long, { maxBytes: 101 });
    expect(name.endsWith('.mp4')).toBe(true);
    expect(Buffer.byteLength(name, 'utf8')).toBe(100);
    expect(safeBaseName('😀'.repeat(100), { maxBytes: 10 })).toBe('😀😀');
    expect(safeBaseName(`x.${'y'.repeat(40)}`, { maxBytes: 10 })).toBe(`x.${'y'.repeat(8)}`);
  });
});

describe('confinedPath', () => {
  let top: string;
  let root: string;
  let outside: string;
  beforeAll(async () => {
    top = await realpath(await mkdtemp(join(tmpdir(), 'archivist-confine-')));
    root = join(top, 'root');
    outside = join(top, 'outside');
    await mkdir(join(root, 'inner'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(outside, 'precious.txt'), 'keep me');
    await symlink(outside, join(root, 'out-link'));
    await symlink(join(root, 'inner'), join(root, 'in-link'));
    await symlink(join(outside, 'precious.txt'), join(root, 'file-link'));
    await symlink(join(top, 'nowhere'), join(root, 'dangling'));
  });
  afterAll(async () => {
    await rm(top, { recursive: true, force: true });
  });

  it('joins names that stay inside, also through a symlink that stays inside', async () => {
    expect(await confinedPath(root, 'a.mp4')).toBe(join(root, 'a.mp4'));
    expect(await confinedPath(root, 'vods/12/a.mp4')).toBe(join(root, 'vods', '12', 'a.mp4'));
    expect(await confinedPath(root, 'inner/../b.mp4')).toBe(join(root, 'b.mp4'));
    expect(await confinedPath(root, 'in-link/c.mp4')).toBe(join(root, 'in-link', 'c.mp4'));
  });

  it('refuses names that lead out, lexically or through symlinked parents or final names', async () => {
    for (const part of [
      '../../../../srv/precious.txt',
      '..',
      '.',
      '',
      '/etc/passwd',
      'a/../../x',
      'out-link/x.mp4',
      'file-link',
      'dangling',
      'dangling/x',
      'a\0b',
    ]) {
      await expect(confinedPath(root, part), part).rejects.toBeInstanceOf(PathEscapeError);
    }
  });

  it('never returns a path whose write lands outside the root', async () => {
    const segment = fc.constantFrom('..', '.', 'a', 'b', 'inner', 'in-link', 'out-link', 'dangling', 'file-link', '');
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.constantFrom('/', '//'), async (segments, joiner) => {
        const part = [...segments, 'f.txt'].join(joiner);
        let path: string;
        try {
          path = await confinedPath(root, part);
        } catch (error) {
          expect(error).toBeInstanceOf(PathEscapeError);
          return;
        }
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, 'written');
        const real = await realpath(path);
        expect(real.startsWith(`${root}${sep}`), `${part} -> ${real}`).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(await readdir(outside)).toEqual(['precious.txt']);
    expect(await readFile(join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
  });
});
