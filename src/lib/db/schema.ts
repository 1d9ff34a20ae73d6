import type { ColumnType, Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { JobKind, MediaSource } from '../stages.js';

export type { JobKind, MediaSource } from '../stages.js';

/** A timestamp column: read as a Date, written as a Date or an SQL expression. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;
type JsonNullable<T> = ColumnType<T | null, string | null | undefined, string | null>;

/** A failed job goes back to `queued` (with a later run_after and its error) or, when retrying cannot help, to `dead`. */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'dead', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const LINK_STATES = ['pending', 'linked', 'needs_review', 'orphaned'] as const;
export type LinkState = (typeof LINK_STATES)[number];

export type MediaState = 'active' | 'missing';

export interface MediaTable {
  id: Generated<number>;
  site: string;
  path: string;
  source: MediaSource;
  state: ColumnType<MediaState, MediaState | undefined, MediaState>;
  size: number | null;
  mtime: Date | null;
  title: string | null;
  event_date: string | null;
  /** The show id parsed from a Flex file name: a hint until link-queue confirms it. */
  file_show_id: number | null;
  /** The show a Cablecast-sourced item was discovered from. */
  cablecast_show_id: number | null;
  vod_url: string | null;
  sha256: string | null;
  duration_sec: number | null;
  probe: JsonNullable<unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface JobsTable {
  id: Generated<number>;
  media_id: number;
  kind: JobKind;
  state: ColumnType<JobState, JobState | undefined, JobState>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  run_after: Timestamp;
  locked_by: string | null;
  locked_at: Date | null;
  heartbeat_at: Date | null;
  last_error: string | null;
  output: JsonNullable<unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Date | null;
  /** The engine process group this job's attempt started: the host, its id, its leader's start time (/proc). */
  engine_host: string | null;
  engine_pgid: number | null;
  engine_started: string | null;
}

export interface TranscriptsTable {
  id: Generated<number>;
  media_id: number;
  engine: string;
  model: string;
  language: string | null;
  text: string;
  words: Json<unknown>;
  segments: Json<unknown>;
  /** Segments put back in time order, seek-overlap words dropped: `{reorderedSegments, overlapWords}`. */
  repairs: JsonNullable<unknown>;
  /** The media's size and mtime when transcribed: an unchanged file is not transcribed again. */
  source_fingerprint: string | null;
  /** Set by the captions step: true when nothing was left to caption. Null until then. */
  no_speech: boolean | null;
  /** The segments the hallucination filter dropped, each with its reason. */
  dropped: JsonNullable<unknown>;
  /** The captions' quality figures (CaptionQuality). */
  quality: JsonNullable<unknown>;
  created_at: Timestamp;
}

/** A transcript's cleaned words in paragraphs, for search: `text` is the words joined by single spaces, one time each. */
export interface TranscriptPassagesTable {
  id: Generated<number>;
  transcript_id: number;
  media_id: number;
  position: number;
  text: string;
  starts_ms: number[];
  ends_ms: number[];
  /** to_tsvector('english', text), kept by the database. */
  search: ColumnType<string, never, never>;
}

/** Captions a person corrected and imported: while the row exists, nothing replaces them. */
export interface CaptionEditsTable {
  media_id: number;
  /** The edited file's name, as imported. */
  source: string;
  /** The edited captions, `[start, end, lines]` each. */
  captions: Json<unknown>;
  imported_at: Timestamp;
}

export interface LinksTable {
  id: Generated<number>;
  transcript_id: number;
  show_id: number | null;
  state: ColumnType<LinkState, LinkState | undefined, LinkState>;
  method: string | null;
  score: number | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  suggestions: JsonNullable<unknown>;
  writeback: JsonNullable<unknown>;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** What kind of file an artifact is; the database's check allows exactly these. */
export const ARTIFACT_KINDS = ['sidecar', 'caption', 'rendition', 'transcript'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** Every file Archivist itself wrote: only these may ever be replaced or deleted by it. */
export interface ArtifactsTable {
  id: Generated<number>;
  media_id: number | null;
  kind: ArtifactKind;
  path: string;
  /** The file's hash; while pending, the hash of the file being placed. */
  sha256: string | null;
  /** `pending` from before the final rename until after it: a file there with this row's hash is ours. */
  state: ColumnType<ArtifactState, ArtifactState | undefined, ArtifactState>;
  /** While pending: the temp file the content was written to, beside the final name. */
  temp_path: string | null;
  /** While pending and replacing our earlier file: that file's hash, still ours until the rename. */
  previous_sha256: string | null;
  created_at: Timestamp;
}

export type ArtifactState = 'pending' | 'complete';

export type RunOutcome = 'running' | 'succeeded' | 'failed' | 'usage' | 'unavailable' | 'interrupted';

export interface RunsTable {
  id: Generated<number>;
  command: string;
  host: string;
  pid: number;
  started_at: Timestamp;
  finished_at: Date | null;
  outcome: ColumnType<RunOutcome, RunOutcome | undefined, RunOutcome>;
  exit_code: number | null;
  summary: JsonNullable<unknown>;
}

export interface Database {
  media: MediaTable;
  jobs: JobsTable;
  transcripts: TranscriptsTable;
  transcript_passages: TranscriptPassagesTable;
  caption_edits: CaptionEditsTable;
  links: LinksTable;
  artifacts: ArtifactsTable;
  runs: RunsTable;
}

export type Media = Selectable<MediaTable>;
export type NewMedia = Insertable<MediaTable>;
export type Job = Selectable<JobsTable>;
export type JobUpdate = Updateable<JobsTable>;
export type Transcript = Selectable<TranscriptsTable>;
export type Link = Selectable<LinksTable>;
export type Run = Selectable<RunsTable>;

/** The job database, or a transaction on it: every operation can run inside a caller's transaction. */
export type Db = Kysely<Database>;
