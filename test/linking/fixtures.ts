import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { loadConfig } from '../../src/lib/config/load.js';
import type { Config } from '../../src/lib/config/schema.js';
import type { Db, Media } from '../../src/lib/db/schema.js';
import { enqueueJob } from '../../src/lib/jobs/enqueue-job.js';
import { sha256 } from '../../src/lib/pipeline/artifacts.js';
import { queuePolicy, runPipeline } from '../../src/lib/pipeline/run-pipeline.js';
import { pipelineSteps } from '../../src/lib/pipeline/steps/index.js';
import { startCablecastServer, type CablecastServer } from '../support/cablecast-server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { silent, testPipeline } from '../support/pipeline.js';

export { silent } from '../support/pipeline.js';

export interface LinkWorld {
  server: CablecastServer;
  testDb: TestDatabase;
  db: Db;
  dir: string;
  configFile: string;
  config: Config;
  close(): Promise<void>;
}

/** A Cablecast test server, a fresh database and a config file naming both (site flex1 = location 1). */
export async function linkWorld(
  linking: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
  cablecast: Record<string, unknown> = {},
): Promise<LinkWorld> {
  const server = await startCablecastServer({ username: 'archivist', password: 'secret' });
  const testDb = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'archivist-link-'));
  const configFile = join(dir, 'config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      sites: [{ key: 'flex1', name: 'Birchwood', share: join(dir, 'flex-1'), location: 1 }],
      cablecast: { url: server.url, username: 'archivist', password: 'secret', ...cablecast },
      paths: { work: join(dir, 'work'), output: join(dir, 'output') },
      jobs: { backoffBaseSeconds: 0, backoffMaxSeconds: 0 },
      linking,
      ...extra,
    }),
  );
  const config = await loadConfig({ file: configFile, env: { ...testDb.env, HOME: dir }, cwd: dir });
  const world: LinkWorld = {
    server,
    testDb,
    db: (await testDb.handle()).db,
    dir,
    configFile,
    config,
    async close() {
      await server.close();
      await testDb.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}

const SCC = 'Scenarist_SCC V1.0\n\n00:00:01;00\t9420 9420\n';

export interface RecordingInput {
  fileName: string;
  title: string;
  date?: string;
  showId?: number;
  cablecastShowId?: number;
  durationSec?: number;
  site?: string;
  /**
   * `share` (default): a file on the site's share, whose sidecar the captions step writes beside
   * it. `cablecast`: a fetched VOD in paths.work, whose captions go to paths.output only.
   */
  source?: 'share' | 'cablecast';
  /** Write its caption file (and record it), as the captions step would. */
  sidecar?: boolean;
}

/** A transcribed, captioned recording whose link job is queued: what the captions step leaves. */
export async function captionedRecording(world: LinkWorld, input: RecordingInput): Promise<Media> {
  const source = input.source ?? 'share';
  const path = source === 'share' ? join(world.dir, 'flex-1', input.fileName) : join(world.dir, 'work', 'vods', '1', input.fileName);
  const media = await world.db
    .insertInto('media')
    .values({
      site: input.site ?? 'flex1',
      path,
      source,
      title: input.title,
      event_date: input.date ?? null,
      file_show_id: input.showId ?? null,
      cablecast_show_id: input.cablecastShowId ?? null,
      duration_sec: input.durationSec ?? null,
      mtime: new Date(`${input.date ?? '2022-01-11'}T23:00:00Z`),
      size: 1000,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await world.db
    .insertInto('transcripts')
    .values({ media_id: media.id, engine: 'stub', model: 'stub', text: 'hello', words: '[]', segments: '[]' })
    .execute();
  // The video is there, as on a mounted share (cleanup takes a share without it for unmounted or the file for gone).
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, 'video');
  if (input.sidecar !== false) {
    const scc =
      source === 'share' ? path.replace(/\.mp4$/, '.scc') : join(world.dir, 'output', 'flex1', basename(path).replace(/\.mp4$/, '.scc'));
    await mkdir(dirname(scc), { recursive: true });
    await writeFile(scc, SCC);
    await world.db
      .insertInto('artifacts')
      .values({
        media_id: media.id,
        kind: source === 'share' ? 'sidecar' : 'caption',
        path: scc,
        sha256: sha256(SCC),
        created_at: new Date('2022-01-12T10:00:00Z'),
      })
      .execute();
  }
  await world.db.insertInto('jobs').values({ media_id: media.id, kind: 'captions', state: 'succeeded', finished_at: new Date() }).execute();
  await enqueueJob(world.db, { mediaId: media.id, kind: 'link' }, queuePolicy(world.config));
  return media;
}

export async function drainLinks(world: LinkWorld) {
  const pipeline = testPipeline(world.config);
  try {
    return await runPipeline({
      db: world.db,
      config: world.config,
      log: silent,
      signal: new AbortController().signal,
      steps: await pipelineSteps(pipeline.deps, ['link']),
    });
  } finally {
    await pipeline.close();
  }
}

export async function linkOf(world: LinkWorld, mediaId: number) {
  return world.db
    .selectFrom('links')
    .innerJoin('transcripts', 'transcripts.id', 'links.transcript_id')
    .selectAll('links')
    .where('transcripts.media_id', '=', mediaId)
    .executeTakeFirstOrThrow();
}
