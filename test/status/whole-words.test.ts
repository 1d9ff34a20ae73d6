import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capture } from '../support/cli.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';

/** A folder name wider than any column of a 100-column table can be: one word, no space to wrap at. */
const LONG_FOLDER = 'Birchwood-City-Council-Regular-Meeting-2026-11-30-full-session-with-the-public-hearing-on-the-budget';
const TERMINAL_COLUMNS = 80;

/**
 * Off a terminal (`> list.txt`, a pipe, a mail from a timer) a path in a table is what the reader
 * acts on: it must be there whole, however wide that makes the table. On a terminal the screen
 * is the limit: the same path is shortened to fit, its end kept.
 */
describe(`tables keep long paths whole off a terminal and cut them to fit on one (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let config: string;
  let scratch: string;
  let recording: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-whole-words-'));
    const work = join(dir, LONG_FOLDER, 'work');
    config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ paths: { work, output: join(dir, 'out') } }));
    // A partial download two days past cleanup.scratchMaxAgeHours: cleanup would delete it.
    scratch = join(work, 'vods', '17052', 'vod.mp4.part');
    await mkdir(join(scratch, '..'), { recursive: true });
    await writeFile(scratch, 'partial');
    const old = new Date(Date.now() - 4 * 86_400_000);
    await utimes(scratch, old, old);
    recording = join(dir, LONG_FOLDER, 'Council-2026-11-30.mp4');
    await testDb.use(async (db) => {
      const media = await db
        .insertInto('media')
        .values({ site: 'flex1', path: recording, source: 'share', title: 'Council' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('jobs')
        .values({ media_id: media.id, kind: 'transcribe', state: 'dead', attempts: 3, max_attempts: 3, last_error: 'engine exited 1' })
        .execute();
    });
  });

  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /** The command's stdout off a terminal, and on an 80-column one (no colour, so widths are characters). */
  async function both(args: readonly string[]): Promise<{ offTerminal: string; terminal: string }> {
    const off = await testDb.run(['--config', config, ...args], {});
    expect(off.exitCode, off.stderr).toBe(0);
    const stdout = new Capture({ isTTY: true, columns: TERMINAL_COLUMNS });
    const on = await testDb.run(['--config', config, ...args], { NO_COLOR: '1' }, { stdout });
    expect(on.exitCode, on.stderr).toBe(0);
    return { offTerminal: off.stdout, terminal: on.stdout };
  }

  function expectCutToFit(text: string, path: string): void {
    expect(text.split('\n').filter((line) => Array.from(line).length > TERMINAL_COLUMNS)).toEqual([]);
    expect(text).not.toContain(path);
    expect(text).toMatch(/…\S*\.(mp4|part) /u);
  }

  it('cleanup-orphaned --dry-run', async () => {
    const { offTerminal, terminal } = await both(['cleanup-orphaned', '--dry-run']);
    expect(offTerminal).toContain(scratch);
    expect(Math.max(...offTerminal.split('\n').map((line) => Array.from(line).length))).toBeGreaterThan(100);
    expectCutToFit(terminal, scratch);
  });

  it('status', async () => {
    const { offTerminal, terminal } = await both(['status']);
    expect(offTerminal).toContain('Recent failures');
    expect(offTerminal).toContain(recording);
    expectCutToFit(terminal, recording);
  });

  it('jobs list', async () => {
    const { offTerminal, terminal } = await both(['jobs', 'list']);
    expect(offTerminal).toContain(recording);
    expectCutToFit(terminal, recording);
  });

  it('jobs show keeps it whole on a terminal too: it is where every cut sends the reader', async () => {
    const { offTerminal, terminal } = await both(['jobs', 'show', '1']);
    // Wider than the line: on a line of its own, whole.
    expect(offTerminal.split('\n')).toContain(recording);
    expect(terminal.split('\n')).toContain(recording);
  });
});
