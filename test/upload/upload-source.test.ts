import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Media } from '../../src/lib/db/schema.js';
import { sha256 } from '../../src/lib/pipeline/artifacts.js';
import { chooseUploadSource } from '../../src/lib/upload/upload-source.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stringContaining } from '../support/matchers.js';

let dir: string;
let testDb: TestDatabase;
let db: Kysely<Database>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-upload-source-'));
  testDb = await createTestDatabase();
  db = (await testDb.handle()).db;
}, 60_000);

afterAll(async () => {
  await testDb.drop();
  await rm(dir, { recursive: true, force: true });
});

/** A recording with our SCC in paths.output, and optionally another file beside the video. */
async function recording(name: string, source: Media['source'], besideVideo?: string): Promise<Media> {
  const video = join(dir, 'share', `${name}.mp4`);
  await mkdir(join(dir, 'share'), { recursive: true });
  await mkdir(join(dir, 'output'), { recursive: true });
  await writeFile(video, 'video');
  if (besideVideo !== undefined) await writeFile(join(dir, 'share', `${name}.scc`), besideVideo);
  const ours = join(dir, 'output', `${name}.scc`);
  await writeFile(ours, 'ours');
  const media = await db.insertInto('media').values({ site: 'files', path: video, source }).returningAll().executeTakeFirstOrThrow();
  await db
    .insertInto('artifacts')
    .values({ media_id: media.id, kind: 'caption', path: ours, sha256: sha256('ours') })
    .execute();
  return media;
}

describe(`chooseUploadSource (${TEST_DB_KIND})`, () => {
  it('uploads our SCC under the video base name', async () => {
    const media = await recording('Council', 'file');
    expect(await chooseUploadSource(db, media, 'sidecar')).toEqual({
      upload: { what: 'sidecar', path: join(dir, 'output', 'Council.scc'), fileName: 'Council.scc', expectedSha256: sha256('ours') },
    });
  });

  it.each(['share', 'file'] as const)('leaves a %s recording alone when someone else made the sidecar beside it', async (source) => {
    const media = await recording(`Vendor ${source}`, source, 'vendor captions');
    const choice = await chooseUploadSource(db, media, 'sidecar');
    expect(choice).toEqual({ skip: stringContaining('made by someone else') });
  });
});
