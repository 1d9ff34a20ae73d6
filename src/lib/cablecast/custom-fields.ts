import { UsageError } from '../errors.js';
import { CablecastFieldTypeError } from './errors.js';
import type { CustomFieldEntry, FieldDefinition, Show, ShowField } from './schemas.js';

/**
 * Show custom fields. A show's `customFields` entries name their field and type inline
 * (`fieldName`, `type`); `GET /showfields` lists every field for shows that have no entry yet.
 * Only `string` fields take free text: a select or tag field holds an option id, a file field
 * a file, and text written into one is refused before anything is sent.
 */

export interface ShowFieldCatalog {
  showFields: readonly ShowField[];
  fieldDefinitions: readonly FieldDefinition[];
}

/** What a write needs to know about a field. `type` is null when no answer states it. */
export interface FieldTarget {
  showField: number;
  fieldName: string;
  type: string | null;
}

const TEXT_TYPE = 'string';

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The show's entry for the field named `name`, read from the record itself. */
export function customFieldEntry(show: Show, name: string): CustomFieldEntry | undefined {
  return show.customFields?.find((entry) => typeof entry.fieldName === 'string' && sameName(entry.fieldName, name));
}

/** The field's current value on the show, as text (a select's label, not its option id). */
export function customFieldText(show: Show, name: string): string | null {
  const entry = customFieldEntry(show, name);
  if (entry === undefined) return null;
  if (typeof entry.fieldValueString === 'string') return entry.fieldValueString;
  return entry.value === null || entry.value === undefined ? null : String(entry.value);
}

/** Maps a custom field's display name to the showField id a show's customFields entries use. */
export function findShowFieldId(catalog: ShowFieldCatalog, name: string): number {
  return catalogField(catalog, name).showField;
}

function catalogField(catalog: ShowFieldCatalog, name: string): FieldTarget {
  const definition = catalog.fieldDefinitions.find((d) => sameName(d.name, name));
  const field = definition === undefined ? undefined : catalog.showFields.find((f) => f.fieldDefinition === definition.id);
  if (definition === undefined || field === undefined) {
    const known = catalog.fieldDefinitions.map((d) => d.name);
    throw new UsageError(`Cablecast has no show custom field named "${name}"`, [
      known.length === 0 ? 'this server defines no show custom fields' : `defined fields: ${known.join(', ')}`,
      'create the field in Cablecast or correct the configured field name',
    ]);
  }
  return { showField: field.id, fieldName: definition.name, type: typeof definition.type === 'string' ? definition.type : null };
}

/**
 * The field to write, from the show's own entry when it has one (its type is the one the
 * reference confirms), else from the catalog. `catalog` is asked only when the record is silent.
 */
export async function fieldTarget(show: Show, name: string, catalog: () => Promise<ShowFieldCatalog>): Promise<FieldTarget> {
  const entry = customFieldEntry(show, name);
  if (entry !== undefined && typeof entry.type === 'string') {
    return { showField: entry.showField, fieldName: entry.fieldName ?? name, type: entry.type };
  }
  const listed = catalogField(await catalog(), name);
  const listedEntry = show.customFields?.find((e) => e.showField === listed.showField);
  return typeof listedEntry?.type === 'string' ? { ...listed, type: listedEntry.type } : listed;
}

/** Refuses any field that is not known to be a `string` field, naming it and its type. */
export function assertTextField(showId: number, target: FieldTarget): void {
  if (target.type?.toLowerCase() !== TEXT_TYPE) throw new CablecastFieldTypeError(showId, target.fieldName, target.type);
}

/** The record as read, with the field's entry set to `value` (or a new entry appended); nothing else changes. */
export function withTextValue(show: Show, showField: number, value: string): Show {
  const entries = show.customFields ?? [];
  const changed = entries.map((entry) =>
    entry.showField === showField ? { ...entry, value, ...('fieldValueString' in entry ? { fieldValueString: value } : {}) } : entry,
  );
  const present = entries.some((entry) => entry.showField === showField);
  return { ...show, customFields: present ? changed : [...changed, { showField, value }] };
}

/** True when the show's entry for `showField` already holds `value`: nothing to send. */
export function holdsValue(show: Show, showField: number, value: string): boolean {
  return show.customFields?.some((entry) => entry.showField === showField && entry.value === value) ?? false;
}
