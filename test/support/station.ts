/**
 * A consortium station's nightly runs, made server-side with generate_series: what `status`
 * reads on a database a station has used for years (bench/status.ts seeds five years,
 * test/status/long-history.test.ts a few weeks).
 *
 * What a night is, from the pipeline (src/lib/stages.ts) as a consortium configures it
 * (Cablecast configured, `pipeline.upload` on, `pipeline.retranscode` off): 30 recordings
 * across six member cities, five on content shares (probe -> transcribe -> captions -> upload ->
 * link) and one whose recordings come as Cablecast VODs (fetch first). A recording with no
 * speech (1 in 50) ends at captions. About one in 190 recordings has a job that failed for
 * good (`dead`, with the reason a real one gives, later steps never queued), one in 400 a link
 * job someone cancelled; the last night left six recordings waiting for the engine, and the
 * last three nights some transcriptions to retry. Every captioned recording has its sidecar
 * beside the video (share recordings) and SCC, SRT and WebVTT files in paths.output as
 * `artifacts` (one in 50 also a clerk's transcript file), a passage and a link; one in 365 was
 * edited by hand. Runs: each night's process-recent-vods, link-queue every two hours,
 * cleanup-orphaned daily, and an operator's status, jobs list and report.
 *
 * Kept honest for two cores, not full size: a real 1.5-hour meeting's transcript holds about
 * 75 KB of text, several times that in word timings, and about 200 passages, which over
 * 55,000 recordings is tens of gigabytes. Here each transcript holds 2,000 words of text
 * (about 15 KB, 6 KB as stored), the timings of 300 words and 30 segments, and one passage of
 * 100 words: every large value is stored out of line (TOAST) as a real one is, and every table
 * has its real number of rows. Every job and run is kept (as with a long
 * `cleanup.retentionDays`; the default 90 days would prune all but about 1/20 of them): the
 * worst case for status.
 */
import { madeUpWords } from './made-up-words.js';

/** Five years of nights: what bench/status.ts seeds. */
export const FIVE_YEARS = 5 * 365 + 1;
export const PER_NIGHT = 30;
export const SITES = ['Birchwood', 'Lake Elmo', 'Mahtomedi', 'North St. Paul', 'Oakdale', 'White Bear Lake'] as const;
const BODIES = [
  'City Council Regular Meeting',
  'City Council Work Session',
  'Planning Commission',
  'Parks and Recreation Commission',
  'Economic Development Authority',
  'Heritage Preservation Commission',
  'Environmental Commission',
  'School Board',
];
const TEXT_POOL = 200;
const TIMED_WORDS = 300;
const SEGMENTS = 30;
const PASSAGES = 1;
const PASSAGE_WORDS = 100;

/** Meeting words, drawn most often, then made-up names and places. */
function vocabulary(): string[] {
  const meeting = (
    'the council will now consider item number four on agenda which concerns budget for road maintenance and snow removal ' +
    'in northern part of city residents have asked whether park can stay open later during summer months motion to approve ' +
    'seconded all favor opposed thank you mayor members public hearing ordinance resolution staff report because however ' +
    'although planning commission recommended approval with conditions variance setback property owner application fee ' +
    'street assessment water sewer utility contract bid award amendment minutes consent next meeting adjourn'
  ).split(' ');
  const made = madeUpWords(1500);
  return [...meeting, ...made];
}

const textArray = (values: readonly string[]): string => `array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(',')}]`;

/**
 * A choice made from a recording's id and a salt, the same on every run (the seed's counts
 * do not move between runs); random() is used only for the words themselves.
 */
const pick = (id: string, salt: number, modulo: number): string => `(abs(hashint4(${id} * 31 + ${String(salt)})) % ${String(modulo)})`;

/** When night `d` (0 the oldest) began: the last night 12 hours ago, so its captions fall within the last 24 hours. */
const nightStart = (d: string, nights: number): string =>
  `(now() - interval '12 hours' - (${String(nights - 1)} - (${d})) * interval '1 day')`;

export interface StationSize {
  /** Nights of history, the last one 12 hours ago (its captions are in status's last 24 hours). */
  nights: number;
  /** Words in each transcript's text: 2,000 (12-15 KB) by default. */
  words?: number;
}

/**
 * The seed's statements for an empty, migrated database, in order, run in one session:
 * `seed_*` are temporary tables, gone when the session ends.
 */
export function stationSeed({ nights, words = 2000 }: StationSize): string[] {
  const lastNight = nights - 1;
  return [
    `create temp table seed_word as select n, w from unnest(${textArray(vocabulary())}) with ordinality as v(w, n)`,
    // Draws of n words from the vocabulary, skewed so common words are common: (i, k, word).
    `create function pg_temp.seed_draws(pool int, words int) returns table (i int, k int, w text) language sql as $$
       select d.i, d.k, v.w from (
         select i, k, 1 + floor(power(random(), 2.2) * (select count(*) from seed_word))::int as r
         from generate_series(0, pool - 1) i, generate_series(1, words) k
       ) d join seed_word v on v.n = d.r $$`,
    // A sentence ends every 15 words.
    `create temp table seed_text as
       select i, string_agg(w || case when k % 15 = 0 then '.' else '' end, ' ' order by k) as text
       from pg_temp.seed_draws(${TEXT_POOL}, ${words}) group by i`,
    // A word is [text, start, end, segment, probability]; a segment [start, end, text, noSpeechProb, avgLogprob, compressionRatio, temperature].
    `create temp table seed_timing as
       select w.i, w.words, s.segments
       from (select i, jsonb_agg(jsonb_build_array(w, round(k * 0.45, 3), round(k * 0.45 + 0.38, 3), k / 10, round(random()::numeric, 3)) order by k) as words
             from pg_temp.seed_draws(50, ${TIMED_WORDS}) group by i) w
       join (select i, jsonb_agg(jsonb_build_array(round(s * 4.5, 3), round(s * 4.5 + 4.2, 3), 'and the council will now consider item number ' || s || ' on the agenda',
               round(random()::numeric, 4), round(-0.2 - random()::numeric / 2, 4), round(1.3 + random()::numeric, 4), 0) order by s) as segments
             from generate_series(0, 49) i, generate_series(1, ${SEGMENTS}) s group by i) s on s.i = w.i`,
    `create temp table seed_passage as
       select i, string_agg(w, ' ' order by k) as text, array_agg(k * 540 order by k) as starts, array_agg(k * 540 + 450 order by k) as ends
       from pg_temp.seed_draws(300, ${PASSAGE_WORDS}) group by i`,

    // One row per recording: where it came from, and how far its chain got.
    `create temp table seed_plan as
       select n + 1 as id, n / ${PER_NIGHT} as night, n % ${PER_NIGHT} as slot, n % ${PER_NIGHT} % 6 + 1 as site_no,
         case when n % ${PER_NIGHT} % 6 = 5 then 'cablecast' else 'share' end as source,
         case when n % ${PER_NIGHT} % 6 = 5 then array['fetch', 'probe', 'transcribe', 'captions', 'upload', 'link']
              else array['probe', 'transcribe', 'captions', 'upload', 'link'] end as chain,
         ${pick('n + 1', 1, 50)} = 0 as no_speech,
         ${nightStart(`n / ${PER_NIGHT}`, nights)} + (n % ${PER_NIGHT}) * interval '10 minutes' as started,
         1800 + ${pick('n + 1', 2, 9000)} as duration,
         (${textArray(SITES)})[n % ${PER_NIGHT} % 6 + 1] || ' ' || (${textArray(BODIES)})[1 + ${pick('n + 1', 3, BODIES.length)}] as title,
         null::text as stop_kind, null::text as stop_state, false as stop_error, null::int as stop_pos
       from generate_series(0, ${nights * PER_NIGHT - 1}) n`,
    // A recording with no speech ends its chain at captions.
    `update seed_plan set chain = chain[1:array_position(chain, 'captions')] where no_speech`,
    `update seed_plan set stop_state = 'dead', stop_error = true, stop_kind = (case ${pick('id', 4, 10)}
       when 4 then 'probe' when 5 then 'probe' when 6 then 'fetch' when 7 then 'upload' when 8 then 'link' else 'transcribe' end)
     where ${pick('id', 5, 190)} = 0`,
    `update seed_plan set stop_kind = 'transcribe' where stop_kind is not null and not (stop_kind = any (chain))`,
    `update seed_plan set stop_kind = 'link', stop_state = 'cancelled' where stop_kind is null and not no_speech and ${pick('id', 6, 400)} = 0`,
    `update seed_plan set stop_kind = 'transcribe', stop_state = 'queued', stop_error = true where night >= ${lastNight - 2} and ${pick('id', 7, 15)} = 0`,
    `update seed_plan set stop_kind = 'transcribe', stop_state = 'queued', stop_error = false where night = ${lastNight} and slot >= 24`,
    `update seed_plan set stop_pos = array_position(chain, stop_kind)`,
    `alter table seed_plan add column transcribed boolean, add column captioned boolean`,
    `update seed_plan set transcribed = stop_pos is null or stop_pos > array_position(chain, 'transcribe'),
       captioned = stop_pos is null or stop_pos > array_position(chain, 'captions')`,

    `insert into media (id, site, path, source, state, size, mtime, title, event_date, file_show_id, cablecast_show_id, vod_url, sha256, duration_sec, probe, created_at, updated_at)
     overriding system value
     select p.id, 'flex' || p.site_no,
       case when p.source = 'cablecast'
         then '/var/cache/archivist/work/vods/' || (40000 + p.id) || '/' || (10000 + p.id) || '-' || replace(p.title, ' ', '-') || '.mp4'
         else '/mnt/flex-' || p.site_no || '/' || to_char(p.started, 'YYYY/MM') || '/' || (10000 + p.id) || '-' || p.title || ' ' || to_char(p.started, 'YYYY-MM-DD') || '.mp4' end,
       p.source,
       case when p.night < ${lastNight - 365} and ${pick('p.id', 8, 17)} = 0 then 'missing' else 'active' end,
       p.duration * 1250000::bigint, p.started - interval '3 hours', p.title, (p.started - interval '1 day')::date,
       case when p.source = 'share' then 10000 + p.id end, case when p.source = 'cablecast' then 10000 + p.id end,
       case when p.source = 'cablecast' then 'https://cablecast.example.org/vod/' || (40000 + p.id) || '/vod.mp4' end,
       md5(p.id::text) || md5(p.title || p.id), p.duration,
       jsonb_build_object('durationSec', p.duration, 'formatName', 'mov,mp4,m4a,3gp,3g2,mj2', 'hasAudio', true,
         'video', jsonb_build_object('codec', 'h264', 'width', 1920, 'height', 1080, 'frameRate', 29.97),
         'audioStreams', jsonb_build_array(jsonb_build_object('index', 1, 'codec', 'aac', 'channels', 2, 'sampleRate', 48000))),
       p.started, p.started + interval '6 hours'
     from seed_plan p`,
    `select setval(pg_get_serial_sequence('media', 'id'), (select max(id) from media))`,

    `insert into jobs (media_id, kind, state, attempts, max_attempts, run_after, locked_at, heartbeat_at, last_error, output, created_at, updated_at, finished_at)
     select p.id, c.kind, s.state,
       case when s.state = 'cancelled' or (s.state = 'queued' and not p.stop_error) then 0
            when s.state = 'queued' then 2 when s.state = 'dead' and c.kind <> 'probe' then 5 else 1 end,
       5,
       case when s.state = 'queued' and p.stop_error then now() + interval '40 minutes' else j.at end,
       case when s.state in ('succeeded', 'dead') or p.stop_error then j.at end,
       case when s.state in ('succeeded', 'dead') or p.stop_error then j.at + interval '80 seconds' end,
       case when j.at_stop and p.stop_error then (case c.kind
         when 'transcribe' then 'engine exited 1 after 1843.2 s (whisper-cli): ggml_new_object: not enough space in the context''s memory pool (needed 817692672, available 805306368); the batch of 4 recordings was stopped and each is retried alone'
         when 'probe' then 'no audio stream in ' || m.path || ': ffprobe found 1 video stream (h264 1920x1080) and no audio; a recording without sound cannot be captioned'
         when 'fetch' then 'cannot download ' || m.vod_url || ': HTTP 404 Not Found after 5 attempts; the show may have been deleted or its VOD not published yet'
         when 'upload' then 'Cablecast refused POST https://cablecast.example.org/CablecastAPI/v1/fileuploads/' || (90000 + p.id) || '/segments (HTTP 500): the file store did not accept segment 1 of 1'
         else 'Cablecast refused PUT https://cablecast.example.org/CablecastAPI/v1/shows/' || (10000 + p.id) || ' (HTTP 409): the show was changed while its custom field Captions was written' end)
       end,
       case when s.state = 'succeeded' then (case c.kind
         when 'fetch' then jsonb_build_object('size', m.size, 'sha256', m.sha256, 'resumedFrom', 0)
         when 'probe' then jsonb_build_object('durationSec', p.duration, 'audioStreams', 1, 'video', m.probe -> 'video')
         when 'transcribe' then jsonb_build_object('transcriptId', p.id, 'words', p.duration * 2, 'language', 'en',
           'skippedSilence', jsonb_build_object('stretches', 4, 'seconds', 612.4, 'heardSeconds', p.duration - 612.4))
         when 'captions' then case when p.no_speech then jsonb_build_object('noSpeech', true, 'captions', 0, 'files', '[]'::jsonb)
           else jsonb_build_object('captions', p.duration / 3, 'files', jsonb_build_array(
             jsonb_build_object('format', 'scc', 'path', regexp_replace(m.path, '[.]mp4$', '.scc')),
             jsonb_build_object('format', 'srt', 'path', '/var/lib/archivist/output/' || m.site || '/' || (10000 + p.id) || '.srt'),
             jsonb_build_object('format', 'vtt', 'path', '/var/lib/archivist/output/' || m.site || '/' || (10000 + p.id) || '.vtt'))) end
         when 'upload' then case when p.source = 'share' then jsonb_build_object('what', 'sidecar', 'skipped', 'the sidecar is beside the video on its share')
           else jsonb_build_object('what', 'sidecar', 'uploadId', 90000 + p.id, 'store', 3, 'segments', 1, 'finished', true) end
         else jsonb_build_object('state', 'linked', 'showId', 10000 + p.id, 'method', 'file-name', 'writeback', 'written') end)
       end,
       j.at - interval '5 minutes', j.at + interval '90 seconds',
       case when s.state in ('succeeded', 'dead', 'cancelled') then j.at + interval '90 seconds' end
     from seed_plan p
     join media m on m.id = p.id
     cross join lateral unnest(p.chain) with ordinality as c(kind, pos)
     cross join lateral (select p.stop_pos is not null and c.pos = p.stop_pos as at_stop, p.started + c.pos * interval '2 minutes' as at) j
     cross join lateral (select case when j.at_stop then p.stop_state else 'succeeded' end as state) s
     where p.stop_pos is null or c.pos <= p.stop_pos
     order by p.id, c.pos`,

    `insert into transcripts (id, media_id, engine, model, language, text, words, segments, repairs, source_fingerprint, no_speech, dropped, quality, created_at)
     overriding system value
     select p.id, p.id, 'faster-whisper', 'large-v2', 'en',
       case when p.no_speech then '' else x.text end,
       case when p.no_speech then '[]'::jsonb else tm.words end,
       case when p.no_speech then '[]'::jsonb else tm.segments end,
       jsonb_build_object('reorderedSegments', 0, 'overlapWords', ${pick('p.id', 9, 5)}),
       m.size || ':' || extract(epoch from m.mtime)::bigint,
       case when p.captioned then p.no_speech end,
       case when p.captioned and not p.no_speech then jsonb_build_array(
         jsonb_build_object('segment', 0, 'start', 0, 'end', 29.5, 'text', 'Thank you.', 'reason', 'dead-air-phrase', 'detail', 'a stock phrase with no speech within 3 s'),
         jsonb_build_object('segment', 212, 'start', 1804.2, 'end', 1833.9, 'text', 'Aye. Aye. Aye. Aye. Aye.', 'reason', 'repetition', 'detail', 'one phrase 5 times at temperature 0.4'))
         when p.captioned then '[]'::jsonb end,
       case when p.captioned then jsonb_build_object('words', case when p.no_speech then 0 else p.duration * 2 end,
         'captions', case when p.no_speech then 0 else p.duration / 3 end,
         'wordsPerMinute', case when p.no_speech then 0 else 120 + ${pick('p.id', 10, 60)} end,
         'captionsUnder1_5s', ${pick('p.id', 11, 30)}, 'captionsOver200Wpm', ${pick('p.id', 12, 8)},
         'lowProbabilityShare', case when p.no_speech then null else round(${pick('p.id', 13, 1000)} / 10000.0, 4) end,
         'droppedSegments', jsonb_build_object('no-speech', 0, 'compression-ratio', 0, 'repetition', 1, 'dead-air-phrase', 1),
         'sccUncarried', 0, 'sccNotes', 0, 'reorderedSegments', 0, 'overlapWords', ${pick('p.id', 9, 5)}) end,
       p.started + (array_position(p.chain, 'transcribe') * interval '2 minutes') + interval '90 seconds'
     from seed_plan p
     join media m on m.id = p.id
     join seed_text x on x.i = p.id % ${TEXT_POOL}
     join seed_timing tm on tm.i = p.id % 50
     where p.transcribed
     order by p.id`,
    `select setval(pg_get_serial_sequence('transcripts', 'id'), (select max(id) from transcripts))`,

    `insert into transcript_passages (transcript_id, media_id, position, text, starts_ms, ends_ms)
     select p.id, p.id, k, s.text, s.starts, s.ends
     from seed_plan p cross join generate_series(0, ${PASSAGES - 1}) k join seed_passage s on s.i = (p.id * ${PASSAGES} + k) % 300
     where p.captioned and not p.no_speech
     order by p.id, k`,

    `insert into links (id, transcript_id, show_id, state, method, score, attempts, next_attempt_at, suggestions, writeback, created_at, updated_at)
     overriding system value
     select p.id, p.id, case when l.state in ('linked', 'orphaned') then 10000 + p.id end, l.state,
       case when l.state in ('linked', 'orphaned') then (case when p.source = 'cablecast' then 'vod' when ${pick('p.id', 14, 4)} = 0 then 'search' else 'file-name' end) end,
       case when l.state in ('linked', 'orphaned') then 0.81 + ${pick('p.id', 15, 19)} / 100.0 else 0.52 end,
       case when l.state = 'needs_review' then 6 when l.state = 'pending' then 2 else 1 end,
       p.started + interval '2 hours',
       case when l.state in ('pending', 'needs_review') then jsonb_build_array(
         jsonb_build_object('showId', 10000 + p.id, 'title', p.title, 'score', 0.71),
         jsonb_build_object('showId', 10001 + p.id, 'title', p.title || ' (rebroadcast)', 'score', 0.69),
         jsonb_build_object('showId', 9990 + p.id, 'title', p.title, 'score', 0.44)) end,
       case when l.state = 'linked' then jsonb_build_object('state', 'written', 'wrote', true, 'showId', 10000 + p.id, 'field', 'Captions',
         'value', 'Captioned by Archivist ' || to_char(p.started, 'YYYY-MM-DD'), 'at', p.started + interval '20 minutes') end,
       p.started + interval '15 minutes', p.started + interval '20 minutes'
     from seed_plan p
     cross join lateral (select case
         when p.stop_kind = 'link' then 'pending'
         when ${pick('p.id', 16, 100)} < 92 then 'linked' when ${pick('p.id', 16, 100)} < 96 then 'needs_review'
         when ${pick('p.id', 16, 100)} < 98 then 'pending' else 'orphaned' end as state) l
     where 'link' = any (p.chain) and (p.stop_pos is null or p.stop_pos >= array_position(p.chain, 'link'))
     order by p.id`,
    `select setval(pg_get_serial_sequence('links', 'id'), (select max(id) from links))`,

    `insert into artifacts (media_id, kind, path, sha256, state, created_at)
     select m.id, f.kind, f.path, md5(f.path) || md5(m.sha256), 'complete', p.started + interval '12 minutes'
     from seed_plan p
     join media m on m.id = p.id
     cross join lateral (select regexp_replace(regexp_replace(m.path, '^.*/', ''), '[.]mp4$', '') as stem) s
     cross join lateral (
       select 'sidecar' as kind, regexp_replace(m.path, '[.]mp4$', '.scc') as path where p.source = 'share'
       union all
       select 'caption', '/var/lib/archivist/output/' || m.site || '/' || to_char(p.started, 'YYYY/MM') || '/' || s.stem || '.' || fmt
       from unnest(array['scc', 'srt', 'vtt']) fmt
       union all
       select 'transcript', '/srv/clerk/transcripts/' || s.stem || '.txt' where ${pick('p.id', 17, 50)} = 0
     ) f
     where p.captioned and not p.no_speech
     order by m.id`,

    `insert into caption_edits (media_id, source, captions, imported_at)
     select p.id, 'clerk-edit-' || (10000 + p.id) || '.srt',
       (select jsonb_agg(jsonb_build_array(round(k * 3.2, 3), round(k * 3.2 + 3.0, 3), jsonb_build_array('AND THE COUNCIL WILL NOW', 'CONSIDER ITEM NUMBER ' || k)) order by k)
        from generate_series(1, 300) k),
       least(now(), p.started + interval '3 days')
     from seed_plan p
     where p.captioned and not p.no_speech and ${pick('p.id', 18, 365)} = 0`,

    `insert into runs (command, host, pid, started_at, finished_at, outcome, exit_code, summary)
     select r.command, 'archivist-1', 2000 + (d * 17 + r.k) % 30000, r.started, r.started + r.took,
       case when r.failed then 'failed' else 'succeeded' end, case when r.failed then 1 else 0 end, r.summary
     from generate_series(0, ${lastNight}) d
     cross join lateral (select ${nightStart('d', nights)} as night) n
     left join (select distinct night from seed_plan where stop_state = 'dead') f on f.night = d
     cross join lateral (
       select 0 as k, 'process-recent-vods' as command, n.night as started, interval '6 hours' as took,
         f.night is not null as failed,
         jsonb_build_object('discovered', ${PER_NIGHT}, 'queued', ${PER_NIGHT}, 'jobs', jsonb_build_object('claimed', 160, 'succeeded', 158,
           'failed', 1, 'dead', 1, 'stoppedBy', null, 'skipped', '[]'::jsonb), 'vods', jsonb_build_object('found', 5, 'skipped', '[]'::jsonb)) as summary
       union all
       select 1 + h, 'link-queue', n.night + h * interval '2 hours' + interval '15 minutes', interval '40 seconds', false,
         jsonb_build_object('linked', 3, 'pending', 1, 'needsReview', 0, 'requeued', 0)
       from generate_series(0, 11) h
       union all
       select 13, 'cleanup-orphaned', n.night + interval '2 hours 45 minutes', interval '25 seconds', false,
         jsonb_build_object('dryRun', false, 'changes', 2, 'notes', '[]'::jsonb)
       union all
       select 14 + o, (array['status', 'jobs', 'report'])[1 + o], n.night + interval '8 hours' + o * interval '1 hour', interval '1 second', false, null
       from generate_series(0, 2) o
     ) r
     where r.started < now()
     order by r.started`,
  ];
}
