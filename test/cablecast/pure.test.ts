import { describe, expect, it } from 'vitest';
import { apiUrl, normalizeBaseUrl } from '../../src/lib/cablecast/base-url.js';
import { assertTextField, customFieldText, fieldTarget, findShowFieldId, withTextValue } from '../../src/lib/cablecast/custom-fields.js';
import { CablecastFieldTypeError } from '../../src/lib/cablecast/errors.js';
import { changedSinceSearch } from '../../src/lib/cablecast/show-search.js';
import { UsageError } from '../../src/lib/errors.js';

describe('normalizeBaseUrl', () => {
  it.each([
    ['https://cc.example.org', 'https://cc.example.org/CablecastAPI/v1'],
    ['https://cc.example.org/', 'https://cc.example.org/CablecastAPI/v1'],
    ['https://cc.example.org/CablecastAPI', 'https://cc.example.org/CablecastAPI/v1'],
    ['https://cc.example.org/cablecastapi/v1/', 'https://cc.example.org/cablecastapi/v1'],
    ['http://10.0.0.5:8080/CablecastAPI/v1', 'http://10.0.0.5:8080/CablecastAPI/v1'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeBaseUrl(input).toString()).toBe(expected);
  });

  it('refuses non-URLs, other schemes and embedded credentials', () => {
    expect(() => normalizeBaseUrl('cc.example.org')).toThrow(UsageError);
    expect(() => normalizeBaseUrl('ftp://cc.example.org')).toThrow(UsageError);
    expect(() => normalizeBaseUrl('https://admin:pw@cc.example.org')).toThrow(UsageError);
  });

  it('joins paths and queries onto the base', () => {
    const base = normalizeBaseUrl('https://cc.example.org');
    expect(apiUrl(base, '/shows', new URLSearchParams([['ids[]', '1']])).toString()).toBe(
      'https://cc.example.org/CablecastAPI/v1/shows?ids%5B%5D=1',
    );
  });
});

describe('custom fields', () => {
  const show = {
    id: 7,
    location: 1,
    title: 'Council',
    extra: 'kept',
    customFields: [
      { id: 90, showField: 1, value: 'a', type: 'string', fieldName: 'Notes', fieldValueString: 'a' },
      { id: 91, showField: 2, value: 12, type: 'select', fieldName: 'Captioned', fieldValueString: 'Yes' },
    ],
  };

  it('changes one entry in place, or appends one, leaving the rest of the record as it was', () => {
    expect(withTextValue(show, 1, 'z')).toEqual({
      ...show,
      customFields: [{ id: 90, showField: 1, value: 'z', type: 'string', fieldName: 'Notes', fieldValueString: 'z' }, show.customFields[1]],
    });
    expect(withTextValue(show, 3, 'n').customFields).toEqual([...show.customFields, { showField: 3, value: 'n' }]);
    expect(show.customFields[0]?.value).toBe('a');
  });

  it('reads a field by its inline name; a select shows its label', () => {
    expect(customFieldText(show, ' notes ')).toBe('a');
    expect(customFieldText(show, 'Captioned')).toBe('Yes');
    expect(customFieldText(show, 'Other')).toBeNull();
  });

  it('takes the type from the record, and asks the field list only when the record is silent', async () => {
    const catalog = { showFields: [{ id: 40, fieldDefinition: 7 }], fieldDefinitions: [{ id: 7, name: 'Transcript', type: 'string' }] };
    const unused = () => Promise.reject(new Error('not asked'));
    expect(await fieldTarget(show, 'captioned', unused)).toEqual({ showField: 2, fieldName: 'Captioned', type: 'select' });
    expect(await fieldTarget(show, 'TRANSCRIPT', () => Promise.resolve(catalog))).toEqual({
      showField: 40,
      fieldName: 'Transcript',
      type: 'string',
    });
    expect(findShowFieldId(catalog, 'transcript')).toBe(40);
    expect(() => findShowFieldId(catalog, 'Other')).toThrow(UsageError);
  });

  it('lets only string fields take text; an unstated type is refused too', () => {
    expect(() => {
      assertTextField(7, { showField: 1, fieldName: 'Notes', type: 'string' });
    }).not.toThrow();
    expect(() => {
      assertTextField(7, { showField: 2, fieldName: 'Captioned', type: 'select' });
    }).toThrow(/"Captioned" is a select field/);
    expect(() => {
      assertTextField(7, { showField: 3, fieldName: 'Poster', type: 'file' });
    }).toThrow(CablecastFieldTypeError);
    expect(() => {
      assertTextField(7, { showField: 4, fieldName: 'Odd', type: null });
    }).toThrow(/does not say what type/);
  });
});

describe('changedSinceSearch', () => {
  it('builds the documented savedShowSearch body', () => {
    expect(changedSinceSearch('2025-01-01T00:00:00Z')).toEqual({
      savedShowSearch: {
        query: {
          groups: [{ orAnd: 'and', filters: [{ field: 'lastModified', operator: 'greaterThan', searchValue: '2025-01-01T00:00:00Z' }] }],
          sortOptions: [{ field: 'lastModified', descending: false }],
        },
        name: '',
      },
    });
  });
});
