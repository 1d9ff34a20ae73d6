import { sql, type Kysely } from 'kysely';

/**
 * Transcripts keep what captioning needs and finds (issue 14): normalisation repairs, and the
 * captions report (whether there was speech, the segments the hallucination filter dropped
 * and why, the quality figures). Words and segments become tuples, so a long meeting's words
 * do not each repeat their keys: a word [text, start, end, segment, probability?], a segment
 * [start, end, text, noSpeechProb, avgLogprob, compressionRatio, temperature] without its
 * trailing nulls (src/lib/pipeline/transcripts.ts reads and writes them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('transcripts')
    .addColumn('repairs', 'jsonb')
    .addColumn('no_speech', 'boolean')
    .addColumn('dropped', 'jsonb')
    .addColumn('quality', 'jsonb')
    .execute();
  await sql`
    update transcripts set
      words = (
        select coalesce(jsonb_agg(
          jsonb_build_array(w -> 'text', w -> 'start', w -> 'end', w -> 'segment')
            || case when w ? 'probability' then jsonb_build_array(w -> 'probability') else '[]'::jsonb end
          order by i), '[]'::jsonb)
        from jsonb_array_elements(words) with ordinality as t(w, i)
      ),
      segments = (
        select coalesce(jsonb_agg(
          jsonb_build_array(s -> 'start', s -> 'end', s -> 'text')
            || case when s ?| array['noSpeechProb', 'avgLogprob', 'compressionRatio', 'temperature']
                 then jsonb_build_array(s -> 'noSpeechProb', s -> 'avgLogprob', s -> 'compressionRatio', s -> 'temperature')
                 else '[]'::jsonb end
          order by i), '[]'::jsonb)
        from jsonb_array_elements(segments) with ordinality as t(s, i)
      )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    update transcripts set
      words = (
        select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
          'text', w -> 0, 'start', w -> 1, 'end', w -> 2, 'segment', w -> 3, 'probability', w -> 4)) order by i), '[]'::jsonb)
        from jsonb_array_elements(words) with ordinality as t(w, i)
      ),
      segments = (
        select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
          'start', s -> 0, 'end', s -> 1, 'text', s -> 2, 'noSpeechProb', s -> 3, 'avgLogprob', s -> 4,
          'compressionRatio', s -> 5, 'temperature', s -> 6)) order by i), '[]'::jsonb)
        from jsonb_array_elements(segments) with ordinality as t(s, i)
      )
  `.execute(db);
  await db.schema
    .alterTable('transcripts')
    .dropColumn('repairs')
    .dropColumn('no_speech')
    .dropColumn('dropped')
    .dropColumn('quality')
    .execute();
}
