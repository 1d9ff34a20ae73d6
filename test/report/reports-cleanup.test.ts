import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';

describe(`cleanup keeps cleanup.reportDays of nightly reports (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let config: string;
  let reports: string;
  const day = (daysAgo: number): string => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-report-cleanup-'));
    config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ cleanup: { reportDays: 30 }, paths: { work: join(dir, 'work'), output: join(dir, 'out') } }));
    reports = join(testDb.stateDir, 'reports');
    await mkdir(reports, { recursive: true });
    for (const name of [
      `${day(45)}.html`,
      `${day(31)}.html`,
      `${day(29)}.html`,
      `${day(0)}.html`,
      'latest.html',
      'index.html',
      'notes.txt',
    ]) {
      await writeFile(join(reports, name), 'page');
    }
  });

  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the old dated pages in a dry run, then deletes only them', async () => {
    // JSON: each path a string to compare exactly.
    const dry = await testDb.run(['--config', config, '--json', 'cleanup-orphaned', '--dry-run'], testDb.env);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(JSON.stringify(join(reports, `${day(45)}.html`)));
    expect((await readdir(reports)).length).toBe(7);

    const result = await testDb.run(['--config', config, 'cleanup-orphaned'], testDb.env);
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await readdir(reports)).sort()).toEqual([`${day(29)}.html`, `${day(0)}.html`, 'index.html', 'latest.html', 'notes.txt'].sort());
  });
});
