import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCaptions } from '../../src/lib/captions/files.js';
import { parseTranscript } from '../../src/lib/captions/transcript.js';
import { migrateToLatest } from '../../src/lib/db/migrate.js';
import { migrationProvider } from '../../src/lib/db/migrations/index.js';
import type { Db } from '../../src/lib/db/schema.js';
import { loadTranscript, saveCaptionReport, saveTranscript } from '../../src/lib/pipeline/transcripts.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { openAiJson, troubledMeeting, whisperCppJson } from '../support/transcripts/generate.js';

const source = { engine: 'faster-whisper', model: 'large-v2', fingerprint: 'f' };

async function addMedia(db: Db, path: string): Promise<number> {
  const row = await db.insertInto('media').values({ site: 'flex1', path, source: 'share' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

describe(`stored transcripts (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it("keep each word's segment, Whisper's segment scores and the repairs, so the filter drops the same on a stored transcript", async () => {
    const meeting = troubledMeeting(1500, 5);
    const transcript = parseTranscript(openAiJson(meeting.plan), 'meeting.json');
    expect(transcript.repairs?.reorderedSegments).toBeGreaterThan(0);
    await testDb.use(async (db) => {
      const mediaId = await addMedia(db, '/mnt/flex-1/meeting.mp4');
      await saveTranscript(db, mediaId, transcript, source);
      const loaded = await loadTranscript(db, mediaId);
      expect(loaded?.transcript.repairs).toEqual(transcript.repairs);
      expect(loaded?.transcript.segments.map((s) => [s.noSpeechProb, s.avgLogprob, s.compressionRatio, s.temperature])).toEqual(
        transcript.segments.map((s) => [s.noSpeechProb, s.avgLogprob, s.compressionRatio, s.temperature]),
      );
      expect(loaded?.transcript.words.map((w) => w.segment)).toEqual(transcript.words.map((w) => w.segment));

      const fresh = buildCaptions(transcript);
      const stored = buildCaptions(loaded?.transcript ?? transcript);
      expect(fresh.dropped.length).toBeGreaterThan(meeting.hallucinations / 2);
      expect(stored.dropped.map((d) => [d.segment, d.reason])).toEqual(fresh.dropped.map((d) => [d.segment, d.reason]));
      expect(stored.captions.map((c) => c.lines)).toEqual(fresh.captions.map((c) => c.lines));
      stored.captions.forEach((caption, i) => {
        expect(Math.abs(caption.start - (fresh.captions[i]?.start ?? 0))).toBeLessThanOrEqual(0.001);
        expect(Math.abs(caption.end - (fresh.captions[i]?.end ?? 0))).toBeLessThanOrEqual(0.001);
      });
      expect(stored.quality).toEqual(fresh.quality);
    });
  });

  it('are compact: a word is a tuple, not an object repeating its keys', async () => {
    const transcript = parseTranscript(openAiJson(troubledMeeting(1500, 6).plan), 'meeting.json');
    await testDb.use(async (db) => {
      const mediaId = await addMedia(db, '/mnt/flex-1/compact.mp4');
      await saveTranscript(db, mediaId, transcript, source);
      // What the database sends and holds in memory per word (detoasted jsonb), against the same words as objects.
      const sizes = async (): Promise<{ sent: number; held: number }> => {
        const result = await sql<{ sent: number; held: number }>`
          select octet_length(words::text)::float8 as sent, pg_column_size(words || '[]'::jsonb)::float8 as held
          from transcripts where media_id = ${mediaId}`.execute(db);
        const row = result.rows[0];
        return { sent: (row?.sent ?? 0) / transcript.words.length, held: (row?.held ?? 0) / transcript.words.length };
      };
      const packed = await sizes();
      await sql`update transcripts set words = ${JSON.stringify(transcript.words)}::jsonb where media_id = ${mediaId}`.execute(db);
      const objects = await sizes();
      expect(packed.sent).toBeLessThan(objects.sent * 0.55);
      expect(packed.held).toBeLessThan(objects.held * 0.7);
    });
  });

  it('start a new transcript without the captions report of the one it replaces', async () => {
    const transcript = parseTranscript(whisperCppJson(troubledMeeting(200, 7).plan, { full: true }), 'cpp.json');
    await testDb.use(async (db) => {
      const mediaId = await addMedia(db, '/mnt/flex-1/again.mp4');
      const id = await saveTranscript(db, mediaId, transcript, source);
      const built = buildCaptions(transcript);
      await saveCaptionReport(db, id, { noSpeech: false, dropped: built.dropped, quality: built.quality });
      await saveTranscript(db, mediaId, transcript, { ...source, fingerprint: 'g' });
      const row = await db
        .selectFrom('transcripts')
        .select(['no_speech', 'dropped', 'quality'])
        .where('media_id', '=', mediaId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ no_speech: null, dropped: null, quality: null });
    });
  });

  it('written before migration 0003 are read after it', async () => {
    await testDb.use(async (db) => {
      const migrator = new Migrator({
        db,
        provider: migrationProvider,
        migrationTableName: 'archivist_migrations',
        migrationLockTableName: 'archivist_migrations_lock',
      });
      // Back to the schema of before 0003, whatever came after it.
      const down = await migrator.migrateTo('0002-drop-unused');
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => r.migrationName)).toContain('0003-caption-report');
      const media = await sql<{
        id: number;
      }>`insert into media (site, path, source) values ('flex1', '/mnt/flex-1/old.mp4', 'share') returning id`.execute(db);
      const mediaId = media.rows[0]?.id ?? 0;
      // What saveTranscript wrote before 0003: words and segments as objects.
      const words = [
        { text: 'Good', start: 1, end: 1.4, probability: 0.91, segment: 0 },
        { text: 'evening.', start: 1.4, end: 1.9, segment: 0 },
        { text: 'Hello.', start: 3, end: 3.5 },
      ];
      const segments = [
        { start: 1, end: 1.9, text: 'Good evening.', noSpeechProb: 0.02, avgLogprob: -0.2 },
        { start: 3, end: 3.5, text: 'Hello.' },
      ];
      await sql`insert into transcripts (media_id, engine, model, text, words, segments)
        values (${mediaId}, 'openai-whisper', 'base', 'Good evening. Hello.', ${JSON.stringify(words)}::jsonb, ${JSON.stringify(segments)}::jsonb)`.execute(
        db,
      );
      await migrateToLatest(db);
      const loaded = await loadTranscript(db, mediaId);
      expect(loaded?.transcript.words).toEqual(words);
      expect(loaded?.transcript.segments).toEqual(segments);
    });
  });
});
