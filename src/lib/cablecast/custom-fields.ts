import { UsageError } from '../errors.js';
import type { CustomFieldValue, FieldDefinition, ShowField } from './schemas.js';

export interface ShowFieldCatalog {
  showFields: readonly ShowField[];
  fieldDefinitions: readonly FieldDefinition[];
}

/** Maps a custom field's display name to the showField id a show's customFields entries use. */
export function findShowFieldId(catalog: ShowFieldCatalog, name: string): number {
  const wanted = normalizeName(name);
  const definition = catalog.fieldDefinitions.find((d) => normalizeName(d.name) === wanted);
  const field = definition === undefined ? undefined : catalog.showFields.find((f) => f.fieldDefinition === definition.id);
  if (field === undefined) {
    const known = catalog.fieldDefinitions.map((d) => d.name);
    throw new UsageError(`Cablecast has no show custom field named "${name}"`, [
      known.length === 0 ? 'this server defines no show custom fields' : `defined fields: ${known.join(', ')}`,
      'create the field in Cablecast or correct the configured field name',
    ]);
  }
  return field.id;
}

/** Replaces the entry for `showField`, or appends one, leaving every other entry as it was. */
export function withCustomField(
  fields: readonly CustomFieldValue[],
  showField: number,
  value: CustomFieldValue['value'],
): CustomFieldValue[] {
  const replaced = fields.map((f) => (f.showField === showField ? { ...f, value } : f));
  return fields.some((f) => f.showField === showField) ? replaced : [...replaced, { showField, value }];
}

function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}
