/**
 * Records as live Cablecast servers return them (../shared/reference/cablecast-api.md, "Show",
 * "Reel", "VOD"), with the fields the client does not use left in on purpose: a client that
 * reads only what it needs must not trip over them. Where a field comes from:
 * - the reference's field lists (captured from four stations' public APIs);
 * - trms/wp-cablecast includes/sync.php: `custom1`..`custom8`, `showThumbnailOriginal`,
 *   customFields entries read as `showField`/`value`/`fieldValueString`, showFields' `fieldDefinition`;
 * - trms/cablecast-public-site app/models: `runCount`, `firstRuns`, `showThumbnails`, VOD `chapters`,
 *   `vodTransactions`, `vodConfiguration`, `embedCode`, `isWatchable`.
 */

export type CustomFieldType = 'string' | 'select' | 'tag' | 'file';

/** A show's customFields entry: for select and tag, `value` is an option id and `fieldValueString` its label. */
export interface CustomFieldEntry {
  id: number;
  showField: number;
  value: string | number | null;
  type: CustomFieldType;
  fieldName: string;
  fieldValueString: string | null;
}

export interface ShowRecord {
  id: number;
  title: string;
  cgTitle: string;
  cgExempt: boolean;
  comments: string;
  /** ISO with the station's offset, e.g. `2025-03-04T00:00:00-06:00`. */
  eventDate: string;
  lastModified: string;
  created: string;
  modified: string;
  location: number;
  project: number | null;
  category: number | null;
  producer: number | null;
  localId: string;
  reels: number[];
  vods: number[];
  showFiles: number[];
  /** Seconds. */
  totalRunTime: number;
  customFields: CustomFieldEntry[];
  hasCaptions: boolean;
  captionProvider: string;
  generateCaptions: boolean;
  captionLanguage: string;
  captionVocabulary: string;
  custom1: string;
  custom2: string;
  runCount: number;
  firstRuns: number[];
  showThumbnails: number[];
  showThumbnailOriginal: number | null;
}

export interface ReelRecord {
  id: number;
  show: number;
  media: number | null;
  reelNumber: number;
  cue: number;
  /** Seconds. */
  length: number;
}

/** What an older server's VOD carries as its last transaction; 5 meant published. */
export interface VodTransactionRecord {
  id: number;
  vod: number;
  transactionType: number;
  date: string;
}

export interface VodRecord {
  id: number;
  show: number;
  url: string;
  localUrl: string;
  /** Null on every live record seen. */
  fileName: string | null;
  length: number;
  vodState?: string;
  isWatchable?: boolean;
  percentComplete?: number;
  /** Null on live records; an object (or, behind a belongsTo, an id) on older servers. */
  lastTransaction: VodTransactionRecord | number | null;
  transactionType: number | null;
  asset: number | null;
  /** The chapters track, not captions. */
  webVtt: string | null;
  chapters: number[];
  chaptersPublished: boolean;
  embedCode: string;
  vodConfiguration: number;
}

/**
 * How a VOD looks in its life: `complete`/`processing` as live servers say it (vodState,
 * isWatchable, percentComplete, lastTransaction null); `legacy-*` as older servers did (no
 * vodState or isWatchable, a lastTransaction object, or only its id).
 */
export type VodLifecycle = 'complete' | 'processing' | 'legacy-published' | 'legacy-processing' | 'legacy-transaction-id';

/** The field definition behind a show field: `{showFields, fieldDefinitions}` from GET /showfields. */
export interface FieldDefinitionRecord {
  id: number;
  name: string;
  type: CustomFieldType;
}

export interface ShowFieldRecord {
  id: number;
  fieldDefinition: number;
}

/** Options of a select or tag field; the server keeps them to check and label what is written. */
export interface FieldOption {
  id: number;
  label: string;
}

export interface AddShowInput {
  title: string;
  location?: number;
  cgTitle?: string;
  eventDate?: string;
  lastModified?: string;
  reels?: { length: number; reelNumber?: number }[];
  /** Default: the sum of the reels, as Cablecast computes it. */
  totalRunTime?: number;
  /** Values by show field; for a select or tag field, an option id. */
  customFields?: { showField: number; value: string | number | null }[];
  hasCaptions?: boolean;
  captionProvider?: string;
  generateCaptions?: boolean;
}

/** `Maple Grove Report 3/4/25` -> `Maple-Grove-Report-3-4-25`, the way VOD folders are named. */
export function vodSlug(title: string): string {
  return (
    title
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'show'
  );
}

export function showRecord(id: number, input: AddShowInput, reels: readonly ReelRecord[], customFields: CustomFieldEntry[]): ShowRecord {
  const now = new Date().toISOString();
  return {
    id,
    title: input.title,
    cgTitle: input.cgTitle ?? input.title,
    cgExempt: false,
    comments: '',
    eventDate: input.eventDate ?? now,
    lastModified: input.lastModified ?? now,
    created: now,
    modified: now,
    location: input.location ?? 1,
    project: null,
    category: null,
    producer: null,
    localId: '',
    reels: reels.map((r) => r.id),
    vods: [],
    showFiles: [],
    totalRunTime: input.totalRunTime ?? reels.reduce((sum, r) => sum + r.length, 0),
    customFields,
    hasCaptions: input.hasCaptions ?? false,
    captionProvider: input.captionProvider ?? '',
    generateCaptions: input.generateCaptions ?? false,
    captionLanguage: 'en-US',
    captionVocabulary: '',
    custom1: '',
    custom2: '',
    runCount: 0,
    firstRuns: [],
    showThumbnails: [],
    showThumbnailOriginal: null,
  };
}

export interface VodInput {
  id: number;
  show: ShowRecord;
  origin: string;
  store: number;
  version: number;
  length: number;
  lifecycle: VodLifecycle;
  fileName: string | null;
  transactionId: number;
}

/** The folder a VOD's files live in: `/store-17/36986-Maple-Grove-Report-3-4-25-v1/`. */
export function vodFolder(input: Pick<VodInput, 'show' | 'store' | 'version'>): string {
  return `/store-${input.store}/${input.show.id}-${vodSlug(input.show.title)}-v${input.version}/`;
}

export function vodRecord(input: VodInput): VodRecord {
  const folder = vodFolder(input);
  const url = `${input.origin}${folder}vod.mp4`;
  const base = {
    id: input.id,
    show: input.show.id,
    url,
    localUrl: url,
    fileName: input.fileName,
    length: input.length,
    transactionType: null,
    asset: null,
    webVtt: `${input.origin}${folder}chapters.vtt`,
    chapters: [],
    chaptersPublished: false,
    embedCode: `<iframe src="${input.origin}/CablecastPublicSite/show/${input.show.id}?embed=1" allowfullscreen></iframe>`,
    vodConfiguration: 1,
  };
  const transaction = (transactionType: number): VodTransactionRecord => ({
    id: input.transactionId,
    vod: input.id,
    transactionType,
    date: new Date().toISOString(),
  });
  switch (input.lifecycle) {
    case 'complete':
      return { ...base, vodState: 'complete', isWatchable: true, percentComplete: 1, lastTransaction: null };
    case 'processing':
      // The reference names only "complete"; what a VOD says on its way there is a placeholder.
      return { ...base, vodState: 'processing', isWatchable: false, percentComplete: 0.4, lastTransaction: null };
    case 'legacy-published':
      return { ...base, lastTransaction: transaction(5) };
    case 'legacy-processing':
      return { ...base, lastTransaction: transaction(1) };
    case 'legacy-transaction-id':
      return { ...base, lastTransaction: input.transactionId };
  }
}

/** What `vod.m3u8` beside a VOD lists, or how reading it fails. */
export type PlaylistMode =
  | 'none'
  | 'subtitles'
  /** Older servers: `captions.m3u8` instead of `captions.en.m3u8`. */
  | 'subtitles-legacy'
  | { status: 403 | 404 | 500 | 503 }
  /** The connection is dropped before any answer. */
  | 'reset';

/** An HLS master playlist as Cablecast publishes it beside vod.mp4, with a SUBTITLES entry once captioned. */
export function masterPlaylist(mode: 'none' | 'subtitles' | 'subtitles-legacy'): string {
  const captions = mode === 'subtitles' ? 'captions.en.m3u8' : 'captions.m3u8';
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3'];
  if (mode !== 'none') {
    lines.push(`#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",DEFAULT=NO,AUTOSELECT=YES,LANGUAGE="en",URI="${captions}"`);
  }
  lines.push(
    `#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720,CODECS="avc1.4d401f,mp4a.40.2"${mode === 'none' ? '' : ',SUBTITLES="subs"'}`,
    '720p/index.m3u8',
    '',
  );
  return lines.join('\n');
}

export function subtitlesPlaylist(): string {
  return [
    '#EXTM3U',
    '#EXT-X-TARGETDURATION:3600',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXTINF:3600.0,',
    'captions.en.vtt',
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}
