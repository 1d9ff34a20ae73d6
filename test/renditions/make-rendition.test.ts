import { execa } from 'execa';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionsFromTranscript } from '../../src/lib/captions/files.js';
import type { Database } from '../../src/lib/db/schema.js';
import type { DatabaseHandle } from '../../src/lib/db/connect.js';
import { makeRendition } from '../../src/lib/renditions/make-rendition.js';
import { RENDITION_MODES, type RenditionMode } from '../../src/lib/renditions/modes.js';
import { RenditionTargetTakenError } from '../../src/lib/renditions/place-rendition.js';
import { probeContainer } from '../../src/lib/renditions/probe-streams.js';
import { srtCueTexts } from '../../src/lib/renditions/subtitle-text.js';
import { sha256File } from '../../src/lib/fs/file-sha256.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { speechVideo } from '../support/media.js';
import { SPOKEN, grayFrame, meanDifference, videoPacketsMd5, wordsOf } from './helpers.js';
import { defined } from '../support/defined.js';

const HOSTILE_NAME = `Council "Budget": it's 1;2 [3], final.mp4`;
const captions = captionsFromTranscript({ text: SPOKEN, words: wordsOf(SPOKEN), segments: [] });
const log = pino({ level: 'silent' });

let dir: string;
let video: string;
let testDb: TestDatabase;
let handle: DatabaseHandle;
let db: Kysely<Database>;
let mediaId: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-renditions-'));
  await mkdir(join(dir, "in: 'the' [share]"));
  video = await speechVideo(join(dir, "in: 'the' [share]"), HOSTILE_NAME, SPOKEN);
  testDb = await createTestDatabase();
  handle = await testDb.handle();
  db = handle.db;
  mediaId = (await db.insertInto('media').values({ site: 'files', path: video, source: 'file' }).returning('id').executeTakeFirstOrThrow())
    .id;
}, 60_000);

afterAll(async () => {
  await handle.close();
  await testDb.drop();
  await rm(dir, { recursive: true, force: true });
});

function render(mode: RenditionMode, outDir: string) {
  return makeRendition({
    db,
    mediaId,
    mediaPath: video,
    captions,
    mode,
    outDir,
    workRoot: join(dir, 'work'),
    crf: 23,
    preset: 'ultrafast',
    log,
  });
}

async function decodedTexts(path: string): Promise<string[]> {
  const { stdout } = await execa('ffmpeg', ['-nostdin', '-v', 'error', '-i', `file:${path}`, '-map', '0:s:0', '-f', 'srt', '-']);
  return srtCueTexts(stdout);
}

describe('makeRendition on a recording whose name has quotes, colons, brackets and spaces', () => {
  it.each(RENDITION_MODES)(
    '%s: writes <stem>.<captioned|burned>.<ext>, checked, recorded, no temp files left',
    async (mode) => {
      const out = join(dir, `out ${mode}: 'x'`);
      const rendition = await render(mode, out);
      const name = { 'mov-608': 'captioned.mov', 'mp4-text': 'captioned.mp4', burn: 'burned.mp4' }[mode];
      expect(rendition.path).toBe(join(out, `Council "Budget": it's 1;2 [3], final.${name}`));
      expect(await readdir(out)).toEqual([`Council "Budget": it's 1;2 [3], final.${name}`]);
      expect(await readdir(join(dir, 'work'))).toEqual([]);
      expect(rendition.sha256).toBe(await sha256File(rendition.path));
      const artifact = await db.selectFrom('artifacts').selectAll().where('path', '=', rendition.path).executeTakeFirstOrThrow();
      expect(artifact).toMatchObject({ kind: 'rendition', media_id: mediaId, sha256: rendition.sha256 });

      const facts = await probeContainer(rendition.path);
      expect(facts.streams.filter((s) => s.type === 'audio')).toHaveLength(1);
      const expected = captions.map((c) => c.lines.join(' '));
      expect(expected.length).toBeGreaterThan(1);
      if (mode === 'mov-608') {
        expect(facts.streams.find((s) => s.type === 'subtitle')).toMatchObject({ codec: 'eia_608', tag: 'c608' });
        expect(await decodedTexts(rendition.path)).toEqual(expected);
        expect(await videoPacketsMd5(rendition.path)).toBe(await videoPacketsMd5(video));
      } else if (mode === 'mp4-text') {
        expect(facts.streams.find((s) => s.type === 'subtitle')).toMatchObject({ codec: 'mov_text' });
        expect(await decodedTexts(rendition.path)).toEqual(expected);
        expect(await videoPacketsMd5(rendition.path)).toBe(await videoPacketsMd5(video));
      } else {
        expect(facts.streams.some((s) => s.type === 'subtitle')).toBe(false);
        // Text is drawn near the bottom while a caption is up; the top of the picture is as before.
        const first = defined(captions[0], 'a caption');
        const at = (first.start + first.end) / 2;
        const [before, after] = [await grayFrame(video, at, 320, 240), await grayFrame(rendition.path, at, 320, 240)];
        const bottom = meanDifference(before, after, 320, 180, 240);
        const top = meanDifference(before, after, 320, 0, 60);
        expect(bottom).toBeGreaterThan(top * 3);
      }
    },
    60_000,
  );

  it('keeps the mp4-text rendition when a burned one is made beside it: two files, both recorded', async () => {
    const out = join(dir, 'text and burn');
    const text = await render('mp4-text', out);
    const burned = await render('burn', out);
    expect(burned.path).not.toBe(text.path);
    expect((await readdir(out)).sort()).toEqual([basename(burned.path), basename(text.path)].sort());
    expect(await sha256File(text.path)).toBe(text.sha256);
    const recorded = await db.selectFrom('artifacts').select('path').where('path', 'in', [text.path, burned.path]).execute();
    expect(recorded).toHaveLength(2);
  }, 60_000);

  it('replaces its own earlier rendition, but never a file someone else put there', async () => {
    const out = join(dir, 'again');
    const first = await render('mp4-text', out);
    const second = await render('mp4-text', out);
    expect(second.path).toBe(first.path);
    expect(await readdir(out)).toHaveLength(1);

    await writeFile(second.path, 'edited by hand');
    await expect(render('mp4-text', out)).rejects.toBeInstanceOf(RenditionTargetTakenError);
    expect(await readFile(second.path, 'utf8')).toBe('edited by hand');

    const foreignDir = join(dir, 'foreign');
    await mkdir(foreignDir);
    const theirs = join(foreignDir, `Council "Budget": it's 1;2 [3], final.captioned.mov`);
    await writeFile(theirs, 'vendor file');
    await expect(render('mov-608', foreignDir)).rejects.toThrow(/did not write/);
    expect(await readFile(theirs, 'utf8')).toBe('vendor file');
    expect(await readdir(foreignDir)).toEqual([`Council "Budget": it's 1;2 [3], final.captioned.mov`]);
  }, 60_000);

  it("never replaces another recording's rendition that has the same base name", async () => {
    const out = join(dir, 'same-name');
    const first = await render('mp4-text', out);
    await mkdir(join(dir, 'other folder'));
    const twin = join(dir, 'other folder', basename(video));
    await copyFile(video, twin);
    const twinId = (
      await db.insertInto('media').values({ site: 'files', path: twin, source: 'file' }).returning('id').executeTakeFirstOrThrow()
    ).id;
    const attempt = makeRendition({
      db,
      mediaId: twinId,
      mediaPath: twin,
      captions,
      mode: 'mp4-text',
      outDir: out,
      workRoot: join(dir, 'work'),
      crf: 23,
      preset: 'ultrafast',
      log,
    });
    await expect(attempt).rejects.toThrow(new RegExp(`rendition of media ${mediaId}`));
    expect(await sha256File(first.path)).toBe(first.sha256);
    expect(await db.selectFrom('artifacts').select('media_id').where('path', '=', first.path).executeTakeFirstOrThrow()).toEqual({
      media_id: mediaId,
    });
  }, 60_000);
});
