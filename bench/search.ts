/**
 * Transcript search at archive scale: 1,000 synthetic three-hour transcripts (200 passages of
 * 100 words each, 20 million words) on PostgreSQL, then `searchTranscripts` (what `archivist
 * search` runs) for a quoted phrase said in 20 of them. Target: under 200 ms. The baseline,
 * measured in the same run on the same connection, is a plain indexed lookup of one passage by
 * its id: the least any query costs. Prints the GIN index's size. The data is made server-side
 * (generate_series), words drawn from a skewed vocabulary so common words are common; the
 * database is dropped afterwards.
 *
 *   npx tsx bench/search.ts        (ARCHIVIST_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test)
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase } from '../src/lib/db/connect.js';
import { searchTranscripts } from '../src/lib/search/search-transcripts.js';
import { madeUpWords } from '../test/support/made-up-words.js';

const ADMIN_URL = process.env.ARCHIVIST_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TRANSCRIPTS = 1000;
const PASSAGES = 200;
const WORDS = 100;
const PLANTED_EVERY = 50;
const ROUNDS = 7;

/** Meeting words first (drawn most often), then made-up names and places, "patio" and "permit" among them. */
function vocabulary(): string[] {
  const meeting = (
    'the council will now consider item number four on the agenda which concerns budget for road maintenance ' +
    'and snow removal in northern part of city residents have asked whether park can stay open later during ' +
    'summer months motion to approve seconded all favor opposed thank you mayor members public hearing ordinance ' +
    'resolution staff report because however although planning commission recommended approval with conditions'
  ).split(' ');
  const made = madeUpWords(4000);
  made.splice(500, 0, 'patio');
  made.splice(900, 0, 'permit', 'permits');
  return [...meeting, ...made];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timeMs(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

const name = `archivist_bench_search_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
try {
  const handle = await openDatabase({ url: url.toString(), stateDir: '/nonexistent', embeddedLockWaitSeconds: 1 });
  const loader = new pg.Client({ connectionString: url.toString() });
  await loader.connect();
  try {
    const words = vocabulary();
    const loadStarted = Date.now();
    await loader.query(`set maintenance_work_mem = '256MB'`);
    await loader.query('drop index transcript_passages_search');
    await loader.query(
      `insert into media (site, path, source, title, event_date)
       select 'flex1', '/mnt/flex-1/meeting-' || g || '.mp4', 'share', 'Council meeting ' || g, date '2020-01-01' + g
       from generate_series(1, $1::int) g`,
      [TRANSCRIPTS],
    );
    await loader.query(
      `insert into transcripts (media_id, engine, model, text, words, segments) select id, 'bench', 'bench', '', '[]', '[]' from media`,
    );
    for (let from = 1; from <= TRANSCRIPTS; from += 100) {
      await loader.query(
        `insert into transcript_passages (transcript_id, media_id, position, text, starts_ms, ends_ms)
         select t.id, t.media_id, p.position, w.text, w.starts, w.ends
         from transcripts t
         cross join generate_series(0, $5::int - 1) as p(position)
         cross join lateral (
           select string_agg(case
               when t.media_id % $7::int = 0 and p.position = 77 and k = 40 then 'patio'
               when t.media_id % $7::int = 0 and p.position = 77 and k = 41 then 'permit'
               else ($1::text[])[1 + floor(power(random(), 2.5) * $2::int)::int] end, ' ' order by k) as text,
             array_agg((p.position * $6::int + k) * 540 order by k) as starts,
             array_agg((p.position * $6::int + k) * 540 + 450 order by k) as ends
           from generate_series(1, $6::int) k
         ) w
         where t.media_id between $3::int and $4::int`,
        [words, words.length, from, from + 99, PASSAGES, WORDS, PLANTED_EVERY],
      );
    }
    await loader.query('create index transcript_passages_search on transcript_passages using gin (search)');
    await loader.query('analyze transcript_passages');
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const sizes = await loader.query<{ words: string; index: string; table: string }>(
      `select (select sum(cardinality(starts_ms)) from transcript_passages)::text as words,
         pg_size_pretty(pg_relation_size('transcript_passages_search')) as index,
         pg_size_pretty(pg_total_relation_size('transcript_passages')) as table`,
    );
    const size = sizes.rows[0];
    console.log(
      `search benchmark: ${TRANSCRIPTS} transcripts, ${size?.words ?? '?'} words, loaded in ${loadSeconds.toFixed(0)} s; ` +
        `GIN index ${size?.index ?? '?'}, passages with index ${size?.table ?? '?'}; median of ${ROUNDS}`,
    );

    const db = handle.db;
    const baseline = await timeMs(() => sql`select text from transcript_passages where id = ${12345}`.execute(db));
    let hits = 0;
    const phrase = await timeMs(async () => {
      hits = (await searchTranscripts(db, '"patio permit"', { limit: 20 })).length;
    });
    let commonHits = 0;
    const common = await timeMs(async () => {
      commonHits = (await searchTranscripts(db, '"the council"', { limit: 20 })).length;
    });
    const ratio = (ms: number): string => `${(ms / baseline).toFixed(1)}x the baseline`;
    console.log(`  baseline (one passage by id)      ${baseline.toFixed(2)} ms`);
    console.log(`  "patio permit" (${hits} hits)          ${phrase.toFixed(1)} ms, ${ratio(phrase)} (target < 200 ms)`);
    console.log(`  "the council" (first ${commonHits} hits)   ${common.toFixed(1)} ms, ${ratio(common)}`);
    if (phrase >= 200) process.exitCode = 1;
  } finally {
    await loader.end();
    await handle.close();
  }
} finally {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
