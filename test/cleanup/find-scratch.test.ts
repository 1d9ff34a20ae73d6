import { chmod, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findScratch } from '../../src/lib/cleanup/find-scratch.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir === undefined) return;
  await chmod(join(dir, 'System Volume Information'), 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('findScratch', () => {
  // root reads every directory whatever its mode, so the refusal cannot be staged.
  it.skipIf(process.getuid?.() === 0)('passes over a share folder this user cannot read', async () => {
    dir = await mkdtemp(join(tmpdir(), 'archivist-find-scratch-'));
    const old = new Date(Date.now() - 5 * 86_400_000);
    const temp = join(dir, '.archivist-0123456789ab-Meeting.scc.tmp');
    await writeFile(temp, 'half');
    await utimes(temp, old, old);
    await mkdir(join(dir, 'System Volume Information'));
    await chmod(join(dir, 'System Volume Information'), 0o000);

    const found = await findScratch([{ dir, depth: 2, ours: false }], new Date());
    expect(found.map((c) => c.path)).toEqual([temp]);
  });
});
