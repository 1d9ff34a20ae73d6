import { z } from 'zod';

/**
 * Response shapes from ../shared/reference/cablecast-api.md. Records are loose objects: Cablecast
 * has more fields than we use, and a show is written back whole (PUT /shows/{id}), so fields we
 * do not know must survive the round trip.
 */

const id = z.number().int();

/** Inside a show, related records appear as ids or, on some servers, as embedded objects. */
export const refSchema = z.union([id, z.looseObject({ id })]);
export type Ref = z.infer<typeof refSchema>;

export function refId(ref: Ref): number {
  return typeof ref === 'number' ? ref : ref.id;
}

export const customFieldValueSchema = z.looseObject({
  showField: id,
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});
export type CustomFieldValue = z.infer<typeof customFieldValueSchema>;

export const showSchema = z.looseObject({
  id,
  location: id,
  title: z.string(),
  cgTitle: z.string().nullish(),
  cgExempt: z.boolean().nullish(),
  comments: z.string().nullish(),
  eventDate: z.string().nullish(),
  lastModified: z.string().nullish(),
  created: z.string().nullish(),
  category: id.nullish(),
  producer: id.nullish(),
  project: id.nullish(),
  reels: z.array(refSchema).default([]),
  vods: z.array(refSchema).default([]),
  customFields: z.array(customFieldValueSchema).default([]),
});
export type Show = z.infer<typeof showSchema>;

export const reelSchema = z.looseObject({
  id,
  show: id,
  media: id.nullish(),
  reelNumber: z.number().int().nullish(),
  cue: z.number().nullish(),
  /** Seconds. */
  length: z.number().nonnegative().nullish(),
});
export type Reel = z.infer<typeof reelSchema>;

export const vodTransactionSchema = z.looseObject({
  id: id.optional(),
  transactionType: z.number().int(),
});
export type VodTransaction = z.infer<typeof vodTransactionSchema>;

export const vodSchema = z.looseObject({
  id,
  show: id,
  fileName: z.string().nullish(),
  url: z.string().nullish(),
  embedCode: z.string().nullish(),
  vodConfiguration: id.nullish(),
  lastTransaction: z.union([id, vodTransactionSchema]).nullish(),
});
export type Vod = z.infer<typeof vodSchema>;

export const showFieldSchema = z.looseObject({ id, fieldDefinition: id });
export type ShowField = z.infer<typeof showFieldSchema>;

export const fieldDefinitionSchema = z.looseObject({
  id,
  name: z.string(),
  type: z.union([z.string(), z.number()]).nullish(),
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

export const fileStoreSchema = z.looseObject({ id, name: z.string(), location: id.nullish() });
export type FileStore = z.infer<typeof fileStoreSchema>;

export const locationSchema = z.looseObject({ id, name: z.string() });
export type Location = z.infer<typeof locationSchema>;

/** Envelopes: singular name for one record, plural plus sideload arrays for collections. */
export const showEnvelopeSchema = z.looseObject({
  show: showSchema,
  reels: z.array(reelSchema).default([]),
  vods: z.array(vodSchema).default([]),
});

export const showsEnvelopeSchema = z.looseObject({
  shows: z.array(showSchema),
  reels: z.array(reelSchema).default([]),
  vods: z.array(vodSchema).default([]),
});

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

export const updatedShowEnvelopeSchema = z.looseObject({ show: showSchema }).transform((e) => e.show);
