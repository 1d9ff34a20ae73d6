import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/db/connect.js';
import { UnavailableError } from '../../src/lib/errors.js';

describe('creating the embedded database', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'archivist-create-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('creates it in place of a stopped creation, with the small settings, and opens it again as it is', async () => {
    const leftover = join(stateDir, 'pglite.creating-0123456789ab');
    await mkdir(join(leftover, 'base'), { recursive: true });
    const first = await openDatabase({ stateDir, embeddedLockWaitSeconds: 0 });
    try {
      const settings = await sql<{ name: string; setting: string; unit: string | null }>`
        select name, setting, unit from pg_settings where name in ('shared_buffers', 'max_connections') order by name`.execute(first.db);
      expect(settings.rows).toEqual([
        { name: 'max_connections', setting: '4', unit: null },
        { name: 'shared_buffers', setting: '2048', unit: '8kB' },
      ]);
      await first.db.insertInto('runs').values({ command: 'status', host: 'here', pid: 1 }).execute();
    } finally {
      await first.close();
    }
    expect((await readdir(stateDir)).sort()).toEqual(['pglite', 'pglite.lock']);
    const again = await openDatabase({ stateDir, embeddedLockWaitSeconds: 0 });
    try {
      expect(await again.db.selectFrom('runs').select('command').execute()).toEqual([{ command: 'status' }]);
    } finally {
      await again.close();
    }
  });

  it('leaves a data directory it did not make alone', async () => {
    await mkdir(join(stateDir, 'pglite'));
    await writeFile(join(stateDir, 'pglite', 'notes.txt'), "someone else's\n");
    const opening = openDatabase({ stateDir, embeddedLockWaitSeconds: 0 });
    await expect(opening).rejects.toThrow(UnavailableError);
    await expect(opening).rejects.toThrow(/embedded database in .*pglite: the directory holds files but no database .*move it away/);
    expect(await readdir(join(stateDir, 'pglite'))).toEqual(['notes.txt']);
  });
});
