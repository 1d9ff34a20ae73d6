import { z } from 'zod';
import type { LinkingSettings } from '../config/schema.js';

export type WritebackSettings = NonNullable<LinkingSettings['writeback']>;

/**
 * What links.writeback holds: the last write-back to the linked show and how it ended.
 * `waiting`: the captions have not reached Cablecast yet (`reason` says why), so nothing was
 * written; `skipped`: there are no captions to tell of.
 */
export const writebackRecordSchema = z.object({
  state: z.enum(['written', 'failed', 'skipped', 'waiting']),
  showId: z.number().int(),
  field: z.string(),
  value: z.string().nullable(),
  /** False when the show already had the value: nothing was sent. */
  wrote: z.boolean(),
  at: z.string(),
  reason: z.string().optional(),
});
export type WritebackRecord = z.infer<typeof writebackRecordSchema>;

export function parseWriteback(value: unknown): WritebackRecord | null {
  if (value === null || value === undefined) return null;
  const parsed = writebackRecordSchema.safeParse(value);
  if (!parsed.success) throw new Error(`links.writeback does not hold a write-back record: ${parsed.error.message}`);
  return parsed.data;
}

/** `{date}`: the day the captions reached Cablecast; `{file}`: the caption file's name as Cablecast has it, never a path. */
export function renderWritebackValue(template: string, captions: { date: string; file: string }): string {
  return template.replace(/\{date\}/g, captions.date).replace(/\{file\}/g, captions.file);
}

/** True when the recorded write-back already put `value` on this show: no Cablecast request at all. */
export function alreadyWritten(record: WritebackRecord | null, target: { showId: number; field: string; value: string }): boolean {
  return (
    record !== null &&
    record.state === 'written' &&
    record.showId === target.showId &&
    record.field === target.field &&
    record.value === target.value
  );
}
