import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCablecastClient, type CablecastClient } from '../../src/lib/cablecast/index.js';
import type { Database, Media } from '../../src/lib/db/schema.js';
import { UsageError } from '../../src/lib/errors.js';
import { chooseStore } from '../../src/lib/upload/choose-store.js';
import { captureLog } from '../support/cablecast-log.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';

let testDb: TestDatabase;
let db: Kysely<Database>;
let server: CablecastServer | undefined;
let client: CablecastClient | undefined;
/** Each world's media is its own (site, path). */
let worlds = 0;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = (await testDb.handle()).db;
}, 60_000);

afterAll(async () => {
  await testDb.drop();
});

afterEach(async () => {
  await client?.close();
  await server?.close();
});

async function world(fileStoreLocations: boolean): Promise<{ client: CablecastClient; media: Media }> {
  server = await startCablecastServer({ fileStoreLocations });
  client = createCablecastClient({ url: server.url, verifyTls: true, retries: 0 }, captureLog().log);
  const show = server.addShow({ title: 'Lake Elmo Planning', location: 2 });
  const media = await db
    .insertInto('media')
    .values({
      site: `flex-${(worlds += 1)}`,
      path: `/work/vods/${show.id}/${show.id}-Lake-Elmo-Planning.mp4`,
      source: 'cablecast',
      cablecast_show_id: show.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { client, media };
}

describe(`the file store an upload goes to (${TEST_DB_KIND})`, () => {
  it("takes the one store serving the show's location when every store says which it serves", async () => {
    const { client, media } = await world(true);
    expect(await chooseStore(db, client, media, { fallback: 1 })).toEqual({ store: 2 });
  });

  it('does not depend on stores naming their location: falls back to cablecast.fileStore and says why', async () => {
    const { client, media } = await world(false);
    expect(await chooseStore(db, client, media, { fallback: 1 })).toEqual({
      store: 1,
      note: "uploading to cablecast.fileStore 1: Cablecast's file stores do not say which location they serve",
    });
    expect(await chooseStore(db, client, media, { configured: 2, fallback: 1 })).toEqual({ store: 2 });
    const refusal = await chooseStore(db, client, media, {}).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UsageError);
    expect(refusal).toMatchObject({
      message: "cannot tell which Cablecast file store holds the video (Cablecast's file stores do not say which location they serve)",
      problems: ["Cablecast's file stores: 1 Flex 1 Content, 2 Flex 3 Content", 'set upload.store in the config or pass --store'],
    });
  });

  it('names the setting that gave a store Cablecast does not have, and the stores it has', async () => {
    const { client, media } = await world(true);
    const refusals = await Promise.all(
      [{ explicit: 9, configured: 1 }, { configured: 9 }, { fallback: 9 }].map((settings) =>
        chooseStore(db, client, { ...media, cablecast_show_id: null }, settings).catch((error: unknown) => error),
      ),
    );
    expect(refusals.every((r) => r instanceof UsageError)).toBe(true);
    expect(refusals.map((r) => (r as UsageError).message)).toEqual([
      '--store is 9, but Cablecast has no file store 9',
      'upload.store is 9, but Cablecast has no file store 9',
      'cablecast.fileStore is 9, but Cablecast has no file store 9',
    ]);
    expect((refusals[1] as UsageError).problems).toEqual([
      "Cablecast's file stores: 1 Flex 1 Content, 2 Flex 3 Content",
      'set upload.store to one of them',
    ]);
  });
});
