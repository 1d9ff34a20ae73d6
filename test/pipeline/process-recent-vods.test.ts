import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv, stubStarts } from '../support/engines/stub-engines.js';
import { speechVideo } from '../support/media.js';
import { tableColumn } from '../support/table-column.js';

const SPOKEN = 'Good evening and welcome to the Birchwood city council meeting. The first item is the park budget.';
const NEW = '17601-1-Birchwood City Council (20220111).mp4';
const CAPTIONED = '17598-1-Birchwood Planning Commission (20220105).mp4';
const FRESH = '17605-1-Birchwood Parks Board (20220118).mp4';

async function digest(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

describe(`process-recent-vods on a content share (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let share: string;
  let config: string;
  let env: Record<string, string>;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-prv-'));
    share = join(dir, 'flex-1');
    await mkdir(share);
    const source = await speechVideo(dir, 'source.mp4', SPOKEN);
    for (const name of [NEW, CAPTIONED, FRESH]) await writeFile(join(share, name), await readFile(source));
    await writeFile(join(share, CAPTIONED.replace(/\.mp4$/, '.scc')), 'Scenarist_SCC V1.0\n\n00:00:01;00\t9420 9420\n');
    await utimes(join(share, NEW), hoursAgo(2), hoursAgo(2));
    await utimes(join(share, CAPTIONED), hoursAgo(3), hoursAgo(3));
    const model = join(dir, 'ggml-base.en.bin');
    await writeFile(model, 'stub model');
    config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        sites: [
          { key: 'flex1', name: 'Birchwood', share, patterns: ['birchwood'] },
          { key: 'flex9', name: 'White Bear Township', share: join(dir, 'not-mounted'), patterns: ['wbt'] },
        ],
        engine: { kind: 'whisper-cpp', model },
        paths: { output: join(dir, 'out'), work: join(dir, 'work') },
        discovery: { settleSeconds: 600, recheckSeconds: 0, lookbackDays: 30 },
      }),
    );
    env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: SPOKEN, STUB_ENGINE_LOG: join(dir, 'engine.log') }) };
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('captions the new recording, leaves the captioned one and the one still being written', async () => {
    const before = { mp4: await digest(join(share, CAPTIONED)), scc: await digest(join(share, CAPTIONED.replace(/\.mp4$/, '.scc'))) };
    const result = await testDb.run(['--config', config, '--json', 'process-recent-vods'], env);
    // The second site's share is not mounted: reported, the first site still runs, exit 1.
    expect(result.exitCode).toBe(1);
    const summary = JSON.parse(result.stdout) as { queued: number; problems: string[]; jobs: { succeeded: number; dead: number } };
    expect(summary.problems).toEqual([`share ${join(dir, 'not-mounted')} does not exist (not mounted?)`]);
    expect(summary.queued).toBe(1);
    expect(summary.jobs).toMatchObject({ succeeded: 3, dead: 0 });

    const sidecar = join(share, NEW.replace(/\.mp4$/, '.scc'));
    const scc = await readFile(sidecar, 'utf8');
    expect(decodeScc(scc).problems).toEqual([]);
    const ffmpeg = await execa('ffmpeg', ['-v', 'error', '-i', sidecar, '-f', 'srt', '-']);
    // FFmpeg's SRT carries its own styling (<font>, {\an7}); only the words matter here.
    const heard = ffmpeg.stdout
      .split('\n')
      .filter((l) => /[a-z]/i.test(l) && !l.includes('-->'))
      .map((l) => l.replace(/<[^>]+>|\{\\an\d\}/g, ''))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    // The engine's prompt holds the show's title, and the names come out spelled as there.
    expect(heard).toBe(SPOKEN.replace('city council', 'City Council'));
    for (const ext of ['scc', 'srt', 'vtt']) await stat(join(dir, 'out', 'flex1', NEW.replace(/\.mp4$/, `.${ext}`)));

    expect(await digest(join(share, CAPTIONED))).toBe(before.mp4);
    expect(await digest(join(share, CAPTIONED.replace(/\.mp4$/, '.scc')))).toBe(before.scc);
    await expect(stat(join(share, FRESH.replace(/\.mp4$/, '.scc')))).rejects.toThrow();
    expect(await stubStarts(join(dir, 'engine.log'))).toHaveLength(1);
  });

  it('does nothing on a second run, and status shows the counts', async () => {
    const sidecar = join(share, NEW.replace(/\.mp4$/, '.scc'));
    const before = await stat(sidecar);
    const again = await testDb.run(['--config', config, '--json', 'process-recent-vods', '--site', 'flex1'], env);
    expect(again.exitCode).toBe(0);
    const summary = JSON.parse(again.stdout) as { queued: number; jobs: { claimed: number } };
    expect(summary).toMatchObject({ queued: 0, jobs: { claimed: 0 } });
    expect((await stat(sidecar)).mtimeMs).toBe(before.mtimeMs);
    expect(await stubStarts(join(dir, 'engine.log'))).toHaveLength(1);

    const status = await testDb.run(['--config', config, 'status', '--json'], env);
    const report = JSON.parse(status.stdout) as {
      jobs: Record<string, Record<string, number>>;
      lastRuns: { command: string; outcome: string }[];
    };
    for (const kind of ['probe', 'transcribe', 'captions']) expect(report.jobs[kind]).toMatchObject({ succeeded: 1, queued: 0, dead: 0 });
    expect(report.lastRuns).toContainEqual(expect.objectContaining({ command: 'process-recent-vods', outcome: 'succeeded' }));
  });

  it('transcribe --force on a share recording redoes that recording, not a copy of it', async () => {
    const recording = join(share, NEW);
    const sidecar = recording.replace(/\.mp4$/, '.scc');
    const forced = await testDb.run(['--config', config, 'transcribe', '--force', recording], env);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(await stubStarts(join(dir, 'engine.log'))).toHaveLength(2);
    await testDb.use(async (db) => {
      expect(await db.selectFrom('media').select(['site', 'path']).execute()).toEqual([{ site: 'flex1', path: recording }]);
      const sidecars = await db.selectFrom('artifacts').select('path').where('kind', '=', 'sidecar').execute();
      expect(sidecars).toEqual([{ path: sidecar }]);
    });
    expect(decodeScc(await readFile(sidecar, 'utf8')).problems).toEqual([]);
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    await utimes(join(share, FRESH), hoursAgo(1), hoursAgo(1));
    const plan = await testDb.run(['--config', config, '--json', 'process-recent-vods', '--site', 'flex1', '--dry-run'], env);
    expect(plan.exitCode).toBe(0);
    const discovery = JSON.parse(plan.stdout) as { candidates: { recording: { path: string; showId: number }; status: string }[] };
    expect(discovery.candidates.map((c) => [c.recording.path, c.recording.showId, c.status])).toEqual([[join(share, FRESH), 17605, 'new']]);
    const table = await testDb.run(['--config', config, 'process-recent-vods', '--site', 'flex1', '--dry-run'], env);
    expect(tableColumn(table.stdout, 'action')).toBe('action queue for captions');
    await testDb.use(async (db) => {
      expect(await db.selectFrom('media').select('path').execute()).toEqual([{ path: join(share, NEW) }]);
    });
  });

  it('leaves Cablecast steps queued, not failed, when Cablecast is no longer configured', async () => {
    await testDb.use(async (db) => {
      const media = await db.selectFrom('media').select('id').executeTakeFirstOrThrow();
      await db.insertInto('jobs').values({ media_id: media.id, kind: 'link' }).execute();
    });
    const result = await testDb.run(['--config', config, '--json', 'process-recent-vods', '--site', 'flex1', '--limit', '1'], env);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ skippedSteps: ['link', 'upload', 'fetch'] });
    await testDb.use(async (db) => {
      const link = await db.selectFrom('jobs').select(['state', 'attempts']).where('kind', '=', 'link').executeTakeFirstOrThrow();
      expect(link).toEqual({ state: 'queued', attempts: 0 });
    });
  });

  it('rejects an unknown site key with exit 2', async () => {
    const result = await testDb.run(['--config', config, 'process-recent-vods', '--site', 'flex42'], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown site flex42; configured sites: flex1, flex9');
  });

  it("--site runs only that site's queued jobs; another site's wait for their own run", async () => {
    const other = await testDb.use(async (db) => {
      const media = await db
        .insertInto('media')
        .values({ site: 'flex9', path: join(dir, 'not-mounted', 'wbt-council.mp4'), source: 'share' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return (await db.insertInto('jobs').values({ media_id: media.id, kind: 'probe' }).returning('id').executeTakeFirstOrThrow()).id;
    });
    const result = await testDb.run(['--config', config, '--json', 'process-recent-vods', '--site', 'flex1', '--steps', 'probe'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    const job = await testDb.use((db) =>
      db.selectFrom('jobs').select(['state', 'attempts']).where('id', '=', other).executeTakeFirstOrThrow(),
    );
    expect(job).toEqual({ state: 'queued', attempts: 0 });
    // Its own site's run takes it (and finds the file gone).
    const own = await testDb.run(['--config', config, '--json', 'process-recent-vods', '--site', 'flex9', '--steps', 'probe'], env);
    expect(JSON.parse(own.stdout)).toMatchObject({ jobs: { claimed: 1 } });
  });
});
