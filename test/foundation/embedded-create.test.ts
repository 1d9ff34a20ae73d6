import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/db/connect.js';
import { createEmbeddedDataDir } from '../../src/lib/db/embedded-create.js';
import { migrationProvider } from '../../src/lib/db/migrations/index.js';
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

  it('applies the migrations in the creating process when asked (every command but db migrate)', async () => {
    const applied = async (dir: string): Promise<string[]> => {
      // Opened without the migrator: what the database holds is what its creation left.
      const handle = await openDatabase({ stateDir: dir, embeddedLockWaitSeconds: 0, migrate: false });
      try {
        const table = await sql<{ n: number }>`select count(*)::int as n from pg_tables where tablename = 'archivist_migrations'`.execute(
          handle.db,
        );
        if (table.rows[0]?.n === 0) return [];
        return (await sql<{ name: string }>`select name from archivist_migrations order by name`.execute(handle.db)).rows.map(
          (r) => r.name,
        );
      } finally {
        await handle.close();
      }
    };
    await createEmbeddedDataDir(join(stateDir, 'pglite'), { migrate: true });
    expect(await applied(stateDir)).toEqual(Object.keys(await migrationProvider.getMigrations()).sort());
    const bare = join(stateDir, 'bare');
    await mkdir(bare);
    await createEmbeddedDataDir(join(bare, 'pglite'), { migrate: false });
    expect(await applied(bare)).toEqual([]);
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
