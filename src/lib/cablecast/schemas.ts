import { z } from 'zod';

/**
 * Response shapes from ../shared/reference/cablecast-api.md. Records are loose objects: live
 * servers send many more fields than we use, and we parse only what we need. Nothing here
 * has a default that would add a field to a record written back whole (see `showRecordSchema`).
 */

const id = z.number().int();

/** Inside a show, related records appear as ids or, on some servers, as embedded objects. */
export const refSchema = z.union([id, z.looseObject({ id })]);
export type Ref = z.infer<typeof refSchema>;

export function refId(ref: Ref): number {
  return typeof ref === 'number' ? ref : ref.id;
}

/**
 * `{id, showField, value, type, fieldName, fieldValueString}`; for select and tag fields,
 * `value` is an option id and `fieldValueString` its label.
 */
export const customFieldEntrySchema = z.looseObject({
  showField: id,
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  type: z.string().nullish(),
  fieldName: z.string().nullish(),
  fieldValueString: z.string().nullish(),
});
export type CustomFieldEntry = z.infer<typeof customFieldEntrySchema>;

export const showSchema = z.looseObject({
  id,
  location: id,
  title: z.string(),
  cgTitle: z.string().nullish(),
  /** ISO with the station's offset, e.g. `2025-03-04T00:00:00-06:00`. */
  eventDate: z.string().nullish(),
  lastModified: z.string().nullish(),
  reels: z.array(refSchema).optional(),
  vods: z.array(refSchema).optional(),
  /** Seconds. */
  totalRunTime: z.number().nonnegative().nullish(),
  customFields: z.array(customFieldEntrySchema).optional(),
  hasCaptions: z.boolean().nullish(),
  captionProvider: z.string().nullish(),
  /** Cablecast's own paid captioning is on for this show. */
  generateCaptions: z.boolean().nullish(),
});
export type Show = z.infer<typeof showSchema>;

export const reelSchema = z.looseObject({
  id,
  show: id.nullish(),
  /** Seconds. */
  length: z.number().nonnegative().nullish(),
});
export type Reel = z.infer<typeof reelSchema>;

/** What older servers carry as a VOD's last transaction; transactionType 5 meant published. */
export const vodTransactionSchema = z.looseObject({
  id: id.optional(),
  transactionType: z.number().int(),
});
export type VodTransaction = z.infer<typeof vodTransactionSchema>;

export const vodSchema = z.looseObject({
  id,
  show: id,
  url: z.string().nullish(),
  /** Null on every live record seen: nothing may depend on it. */
  fileName: z.string().nullish(),
  /** `"complete"` when published. */
  vodState: z.string().nullish(),
  isWatchable: z.boolean().nullish(),
  /** 0..1 */
  percentComplete: z.number().nullish(),
  /** Null on live records; an object on older servers (or only its id, behind a belongsTo). */
  lastTransaction: z.union([id, vodTransactionSchema]).nullish(),
});
export type Vod = z.infer<typeof vodSchema>;

export const showFieldSchema = z.looseObject({ id, fieldDefinition: id });
export type ShowField = z.infer<typeof showFieldSchema>;

export const fieldDefinitionSchema = z.looseObject({
  id,
  name: z.string(),
  /** The type on the definition is unconfirmed; the record's entries carry a confirmed one. */
  type: z.unknown().optional(),
});
export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;

/** 0 Error, 1 Uploading, 2 UploadingComplete, 3 PostProcessing, 4 Transferring, 5 Finished, 6 Timeout. */
export const FileUploadState = {
  error: 0,
  uploading: 1,
  uploadingComplete: 2,
  postProcessing: 3,
  transferring: 4,
  finished: 5,
  timeout: 6,
} as const;

export const fileUploadSchema = z.looseObject({
  id,
  fileName: z.string().nullish(),
  destinationStore: id.nullish(),
  totalSegments: z.number().int().nullish(),
  size: z.number().nullish(),
  state: z.number().int().min(0).max(6),
  asset: id.nullish(),
});
export type FileUpload = z.infer<typeof fileUploadSchema>;

/** Fields beyond id and name are unconfirmed (reference, "Chunked upload"). */
export const fileStoreSchema = z.looseObject({ id, name: z.string(), location: id.nullish() });
export type FileStore = z.infer<typeof fileStoreSchema>;

export const locationSchema = z.looseObject({ id, name: z.string() });
export type Location = z.infer<typeof locationSchema>;

/** `GET /shows/{id}`: `{"show": {...}, "meta": null}`, never with sideloads. */
export const showEnvelopeSchema = z.looseObject({ show: showSchema }).transform((e) => e.show);

/**
 * The same, with the record left to be read on its own (show-detail.ts): a record of a shape
 * we cannot read is a problem of that show, not of the server.
 */
export const showRecordEnvelopeSchema = z.looseObject({ show: z.looseObject({ id }) }).transform((e) => e.show);

/**
 * List queries: the plural name, sideloads asked for with `include`, and `meta`. Records are
 * read one by one (show-detail.ts), so one malformed record costs its show, not the page; a
 * show without an id is no record at all, and the answer is refused.
 */
export const showsEnvelopeSchema = z.looseObject({
  shows: z.array(z.looseObject({ id })),
  reels: z.array(z.unknown()).optional(),
  vods: z.array(z.unknown()).optional(),
});
export type ShowsPage = z.infer<typeof showsEnvelopeSchema>;

export const showFieldsEnvelopeSchema = z.looseObject({
  showFields: z.array(showFieldSchema),
  fieldDefinitions: z.array(fieldDefinitionSchema),
});

export const fileUploadEnvelopeSchema = z.looseObject({ fileUpload: fileUploadSchema }).transform((e) => e.fileUpload);

export const fileStoresEnvelopeSchema = z.looseObject({ fileStores: z.array(fileStoreSchema) }).transform((e) => e.fileStores);

export const locationsEnvelopeSchema = z.looseObject({ locations: z.array(locationSchema) }).transform((e) => e.locations);

export const savedShowSearchEnvelopeSchema = z
  .looseObject({ savedShowSearch: z.looseObject({ results: z.array(id) }) })
  .transform((e) => e.savedShowSearch.results);
