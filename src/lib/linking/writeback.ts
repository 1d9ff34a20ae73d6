import { z } from 'zod';
import type { CablecastClient, ShowDetail } from '../cablecast/index.js';
import type { LinkingSettings } from '../config/schema.js';
import type { Db } from '../db/schema.js';

export type WritebackSettings = NonNullable<LinkingSettings['writeback']>;

/** What links.writeback holds: the last write-back to the linked show and how it ended. */
export const writebackRecordSchema = z.object({
  state: z.enum(['written', 'failed', 'skipped']),
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

export interface CaptionsLocation {
  path: string;
  /** YYYY-MM-DD the captions were written. */
  date: string;
}

/** Where a person (or Cablecast) finds the recording's captions: the sidecar first, then a rendition, then a caption file. */
const PREFERENCE = ['sidecar', 'rendition', 'caption'] as const;

export async function captionsLocation(db: Db, mediaId: number): Promise<CaptionsLocation | null> {
  const rows = await db
    .selectFrom('artifacts')
    .select(['kind', 'path', 'created_at'])
    .where('media_id', '=', mediaId)
    .where('kind', 'in', [...PREFERENCE])
    .execute();
  const best = rows.sort((a, b) => PREFERENCE.indexOf(a.kind) - PREFERENCE.indexOf(b.kind) || a.path.localeCompare(b.path))[0];
  return best ? { path: best.path, date: best.created_at.toISOString().slice(0, 10) } : null;
}

export function renderWritebackValue(template: string, captions: CaptionsLocation): string {
  return template.replace(/\{date\}/g, captions.date).replace(/\{file\}/g, captions.path);
}

export function currentFieldValue(detail: ShowDetail, showFieldId: number): string | null {
  const entry = detail.show.customFields?.find((f) => f.showField === showFieldId);
  return entry?.value === undefined || entry.value === null ? null : String(entry.value);
}

/** Custom-field ids by name, asked once per run. */
export class ShowFieldIds {
  readonly #ids = new Map<string, Promise<number>>();
  get(client: CablecastClient, name: string): Promise<number> {
    let id = this.#ids.get(name);
    if (!id) {
      id = client.showFieldIdByName(name);
      id.catch(() => this.#ids.delete(name));
      this.#ids.set(name, id);
    }
    return id;
  }
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
