import { z } from 'zod';

export const UPLOAD_WHATS = ['sidecar', 'rendition'] as const;
export type UploadWhat = (typeof UPLOAD_WHATS)[number];

/**
 * What an upload job keeps in its `output`, saved after every acknowledged segment, so a
 * rerun after a crash continues the same Cablecast upload instead of creating another.
 */
export const uploadStateSchema = z.object({
  what: z.enum(UPLOAD_WHATS),
  path: z.string(),
  fileName: z.string(),
  store: z.number().int(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  segmentBytes: z.number().int().positive(),
  totalSegments: z.number().int().positive(),
  uploadId: z.number().int(),
  acked: z.array(z.number().int().nonnegative()),
  finished: z.boolean(),
  assetId: z.number().int().nullable(),
});
export type UploadState = z.infer<typeof uploadStateSchema>;

/** A job's saved output as upload progress, or undefined when it holds none (first attempt). */
export function parseUploadState(output: unknown): UploadState | undefined {
  const parsed = uploadStateSchema.safeParse(output);
  return parsed.success ? parsed.data : undefined;
}

export interface UploadFacts {
  fileName: string;
  store: number;
  size: number;
  sha256: string;
  segmentBytes: number;
}

/**
 * The saved upload carries these exact bytes to this exact place; one still in progress must
 * also be cut the same way. A finished one stands whatever upload.segmentMiB says now: sending
 * it again would make a duplicate asset.
 */
export function continuesUpload(state: UploadState, facts: UploadFacts): boolean {
  return (
    state.fileName === facts.fileName &&
    state.store === facts.store &&
    state.size === facts.size &&
    state.sha256 === facts.sha256 &&
    (state.finished || state.segmentBytes === facts.segmentBytes)
  );
}
