import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/db/connect.js';
import type { ContenderReport } from '../support/lock-contender.js';
import { copyEmbeddedTemplate } from '../support/database.js';
import { compiled } from '../support/compiled.js';

const CONTENDER = fileURLToPath(new URL('../support/lock-contender.ts', import.meta.url));
const PROCESSES = 6;
const TRIALS = 30;
/** Above PID_MAX_LIMIT (2^22): no process can ever have it. */
const DEAD_PID = 4_194_305;

/** The ways a lock is left behind: owner killed, pid since reused, released, never written. */
const staleForms = ['dead owner', 'reused pid', 'released', 'unwritten'] as const;

async function writeStaleLock(path: string, form: (typeof staleForms)[number]): Promise<void> {
  await mkdir(path, { recursive: true });
  const generation = join(path, '7');
  const linux = process.platform === 'linux';
  const text = {
    'dead owner': `${DEAD_PID} 12345\n`,
    // A live pid (this test) with a start time that is not its own: the owner died, the pid was reused.
    'reused pid': linux ? `${process.pid} 1\n` : `${DEAD_PID}\n`,
    released: 'released\n',
    unwritten: '',
  }[form];
  await writeFile(generation, text);
  if (form === 'unwritten') {
    const old = new Date(Date.now() - 60_000);
    await utimes(generation, old, old);
  }
}

function ask(child: ChildProcess, message: unknown): Promise<ContenderReport> {
  return new Promise((resolve) => {
    child.once('message', (report) => {
      resolve(report as ContenderReport);
    });
    child.send(message as object);
  });
}

describe('embedded database lock under contention', () => {
  let base: string;
  let contenders: ChildProcess[];

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'archivist-lock-race-'));
    contenders = Array.from({ length: PROCESSES }, () => fork(compiled(CONTENDER), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(contenders.map((child) => new Promise((resolve) => child.once('message', resolve))));
  });

  afterAll(async () => {
    for (const child of contenders) child.kill();
    await rm(base, { recursive: true, force: true });
  });

  it(`${PROCESSES} processes x ${TRIALS} trials on a stale lock never give two holders and lose no row`, async () => {
    const overlaps: number[] = [];
    const lostRows: number[] = [];
    const holders: number[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const dir = join(base, `trial-${trial}`);
      await writeStaleLock(join(dir, 'pglite.lock'), staleForms[trial % staleForms.length] ?? 'dead owner');
      await writeFile(join(dir, 'rows.json'), '[]');
      // Everyone sleeps to the same instant, so they all find the same stale lock.
      const goAt = Date.now() + 100;
      const reports = await Promise.all(contenders.map((child) => ask(child, { kind: 'trial', dir, goAt, holdMs: 15 })));
      expect(reports.filter((r) => r.error !== undefined)).toEqual([]);
      const held = reports.filter((r) => r.held).length;
      const rows = (JSON.parse(await readFile(join(dir, 'rows.json'), 'utf8')) as number[]).length;
      holders.push(held);
      overlaps.push(reports.filter((r) => r.overlap).length);
      lostRows.push(held - rows);
    }
    expect(overlaps.filter((n) => n > 0)).toEqual([]);
    expect(lostRows.filter((n) => n !== 0)).toEqual([]);
    // Someone took over every stale lock.
    expect(holders.filter((n) => n === 0)).toEqual([]);
  });

  it('keeps every row the processes insert into the embedded database after a stale lock', async () => {
    const stateDir = join(base, 'state');
    // A database already made (creating one is embedded-create's test): this is about the lock.
    await copyEmbeddedTemplate(stateDir);
    await writeStaleLock(join(stateDir, 'pglite.lock'), 'dead owner');
    const rows = 20;
    const goAt = Date.now() + 100;
    // Three of them: each opens PGlite in turn, which costs seconds of CPU on two cores.
    const writers = contenders.slice(0, 3);
    const reports = await Promise.all(writers.map((child) => ask(child, { kind: 'database', stateDir, goAt, rows })));
    expect(reports.filter((r) => r.error !== undefined)).toEqual([]);
    const handle = await openDatabase({ stateDir, embeddedLockWaitSeconds: 60, migrate: false });
    try {
      const { rows: counted } = await sql<{ pid: number; count: number }>`
        select pid, count(*)::int as count from lock_rows group by pid order by pid`.execute(handle.db);
      expect(counted).toHaveLength(writers.length);
      expect(counted.every((r) => r.count === rows)).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
