import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/schema.js';
import { locateMatch, matchSentence } from './locate.js';
import { queryLexemes, queryPhrases } from './tsquery.js';

/** The text search configuration of the index (migration 0005) and of every query against it. */
const CONFIG = 'english';

export interface SearchOptions {
  site?: string | undefined;
  /** Recordings dated (event date, else file time) on or after this day. */
  since?: Date | undefined;
  limit: number;
}

export interface SearchHit {
  mediaId: number;
  path: string;
  title: string | null;
  site: string;
  date: string | null;
  /** Seconds: the first matched word's start and the last matched word's end. */
  start: number;
  end: number;
  /** The sentence around the match, the matched words between « and ». */
  text: string;
  /** The Cablecast show the transcript is linked to, and its VOD at the match. */
  showId?: number;
  vodUrl?: string;
}

const passageRow = z.object({
  id: z.number().int(),
  media_id: z.number().int(),
  text: z.string(),
  starts_ms: z.array(z.number().int()),
  ends_ms: z.array(z.number().int()),
  path: z.string(),
  title: z.string().nullable(),
  site: z.string(),
  date: z.string().nullable(),
  vod_url: z.string().nullable(),
  show_id: z.number().int().nullable(),
});

const tokenRow = z.object({ id: z.number().int(), i: z.number().int(), lexemes: z.array(z.string()) });

/**
 * Full-text search over every transcript's passages: PostgreSQL's `websearch_to_tsquery` (quoted
 * phrases, `or`, `-word`) against the GIN index, newest recordings first. Each matching passage
 * is one hit, timed to its matched words: the database says which of the passage's words yield
 * a query lexeme (stemmed as the index is), and the phrases are lined up on them here.
 */
export async function searchTranscripts(db: Db, phrase: string, options: SearchOptions): Promise<SearchHit[]> {
  const query = sql`websearch_to_tsquery(${CONFIG}::regconfig, ${phrase})`;
  const parsed = await sql<{ q: string }>`select ${query}::text as q`.execute(db);
  const phrases = queryPhrases(parsed.rows[0]?.q ?? '');
  if (phrases.length === 0) return [];

  const filters = [sql`p.search @@ ${query}`];
  if (options.site !== undefined) filters.push(sql`m.site = ${options.site}`);
  if (options.since !== undefined)
    filters.push(sql`coalesce(m.event_date, m.mtime::date) >= ${options.since.toISOString().slice(0, 10)}::date`);
  const found = await sql`
    select p.id, p.media_id, p.text, p.starts_ms, p.ends_ms, m.path, m.title, m.site,
      to_char(coalesce(m.event_date, m.mtime::date), 'YYYY-MM-DD') as date, m.vod_url,
      (select l.show_id from links l where l.transcript_id = p.transcript_id and l.state = 'linked' and l.show_id is not null limit 1) as show_id
    from transcript_passages p
    join media m on m.id = p.media_id
    where ${sql.join(filters, sql` and `)}
    order by coalesce(m.event_date, m.mtime::date) desc nulls last, m.id desc, p.position
    limit ${options.limit}
  `.execute(db);
  const passages = z.array(passageRow).parse(found.rows);
  if (passages.length === 0) return [];

  const lexemes = queryLexemes(phrases);
  const tokens = await sql`
    select p.id, u.i::int as i,
      array(select unnest(tsvector_to_array(to_tsvector(${CONFIG}::regconfig, u.w))) intersect select unnest(${lexemes}::text[])) as lexemes
    from transcript_passages p, unnest(string_to_array(p.text, ' ')) with ordinality as u(w, i)
    where p.id = any(${passages.map((p) => p.id)}::int[])
      and tsvector_to_array(to_tsvector(${CONFIG}::regconfig, u.w)) && ${lexemes}::text[]
  `.execute(db);
  const byPassage = new Map<number, Map<number, Set<string>>>();
  for (const token of z.array(tokenRow).parse(tokens.rows)) {
    const words = byPassage.get(token.id) ?? new Map<number, Set<string>>();
    words.set(token.i - 1, new Set(token.lexemes));
    byPassage.set(token.id, words);
  }

  return passages.map((passage) => {
    const words = passage.text.split(' ');
    const span = locateMatch(phrases, byPassage.get(passage.id) ?? new Map()) ?? { first: 0, last: words.length - 1 };
    const start = (passage.starts_ms[span.first] ?? 0) / 1000;
    const hit: SearchHit = {
      mediaId: passage.media_id,
      path: passage.path,
      title: passage.title,
      site: passage.site,
      date: passage.date,
      start,
      end: (passage.ends_ms[span.last] ?? passage.ends_ms.at(-1) ?? 0) / 1000,
      text: matchSentence(words, span),
    };
    if (passage.show_id !== null) hit.showId = passage.show_id;
    if (passage.vod_url !== null) hit.vodUrl = `${passage.vod_url.replace(/#.*$/u, '')}#t=${Math.floor(start)}`;
    return hit;
  });
}
