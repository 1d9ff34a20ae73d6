import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeOwnedFile } from '../../src/lib/pipeline/artifacts.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { defined } from '../support/defined.js';

describe(`files Archivist owns (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-owned-'));
  });
  afterEach(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces only its own unchanged file for the same recording', async () => {
    await testDb.use(async (db) => {
      const rows = await db
        .insertInto('media')
        .values([
          { site: 'flex1', path: '/mnt/flex-1/2025/Council.mp4', source: 'share' },
          { site: 'flex1', path: '/mnt/flex-1/2026/Council.mp4', source: 'share' },
        ])
        .returning('id')
        .execute();
      const a = defined(rows[0], 'the first media row');
      const b = defined(rows[1], 'the second media row');
      const path = join(dir, 'Council.srt');
      const write = (mediaId: number, content: string) => writeOwnedFile(db, { mediaId, kind: 'caption', path, content });

      expect(await write(a.id, 'first')).toEqual({ written: true, path });
      expect(await write(a.id, 'second')).toEqual({ written: true, path });
      expect(await write(b.id, 'other recording')).toEqual({
        written: false,
        path,
        reason: `Archivist wrote this file for another recording (media ${a.id})`,
      });
      await writeFile(path, 'edited by hand');
      expect(await write(a.id, 'third')).toMatchObject({
        written: false,
        reason: 'the file was changed by someone since Archivist wrote it',
      });
      expect(await readFile(path, 'utf8')).toBe('edited by hand');

      const foreign = join(dir, 'Vendor.scc');
      await writeFile(foreign, 'vendor');
      expect(await writeOwnedFile(db, { mediaId: a.id, kind: 'sidecar', path: foreign, content: 'ours' })).toMatchObject({
        written: false,
        reason: 'a file Archivist did not write is already there',
      });
      expect(await readFile(foreign, 'utf8')).toBe('vendor');
    });
  });
});
