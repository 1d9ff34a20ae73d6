import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { speechVideo } from '../support/media.js';
import { SPOKEN, seedTranscribedMedia } from './helpers.js';

let dir: string;
let testDb: TestDatabase;
let env: Record<string, string>;
let video: string;
let mediaId: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-retranscode-cli-'));
  video = await speechVideo(dir, 'Council: budget, part 1.mp4', SPOKEN);
  testDb = await createTestDatabase();
  mediaId = await testDb.use((db) => seedTranscribedMedia(db, video));
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      paths: { work: join(dir, 'work'), output: join(dir, 'output') },
      retranscode: { mode: 'mp4-text', preset: 'ultrafast' },
    }),
  );
  env = { ...testDb.env, ARCHIVIST_CONFIG: join(dir, 'config.json') };
}, 60_000);

afterAll(async () => {
  await testDb.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('archivist retranscode', () => {
  it('makes the configured rendition of a transcribed file into paths.output/<site>', async () => {
    const result = await testDb.run(['retranscode', video], env);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const expected = join(dir, 'output', 'files', 'Council: budget, part 1.captioned.mp4');
    expect(result.stdout).toContain(`-> ${expected} (mp4-text,`);
    expect(await readdir(join(dir, 'output', 'files'))).toEqual(['Council: budget, part 1.captioned.mp4']);
  }, 60_000);

  it('takes --mode and --out, and a media id', async () => {
    const out = join(dir, "renditions 'here'");
    const result = await testDb.run(['--json', 'retranscode', String(mediaId), '--mode', 'mov-608', '--out', out], env);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { media: { state: string; output: { rendition: { path: string } } }[] };
    expect(report.media[0]?.state).toBe('succeeded');
    expect(report.media[0]?.output.rendition.path).toBe(join(out, 'Council: budget, part 1.captioned.mov'));
  }, 60_000);

  it('tells the user to transcribe first, and changes nothing', async () => {
    const other = join(dir, 'not transcribed.mp4');
    await writeFile(other, 'x');
    const result = await testDb.run(['retranscode', other, '999'], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('not transcribed yet; run `archivist transcribe');
    expect(result.stderr).toContain('999: no media with this id');
    expect(await testDb.use((db) => db.selectFrom('media').select('id').execute())).toHaveLength(1);
  });

  it('drains queued retranscode jobs when given no items', async () => {
    const result = await testDb.run(['retranscode'], env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('no retranscode jobs are runnable');
  });
});
