import { describe, expect, it } from 'vitest';
import { apiUrl, normalizeBaseUrl } from '../../src/lib/cablecast/base-url.js';
import { findShowFieldId, withCustomField } from '../../src/lib/cablecast/custom-fields.js';
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
  it('replaces an existing entry in place and appends a new one', () => {
    const fields = [
      { showField: 1, value: 'a' },
      { showField: 2, value: 'b' },
    ];
    expect(withCustomField(fields, 2, 'z')).toEqual([
      { showField: 1, value: 'a' },
      { showField: 2, value: 'z' },
    ]);
    expect(withCustomField(fields, 3, 'n')).toEqual([...fields, { showField: 3, value: 'n' }]);
    expect(fields[1]?.value).toBe('b');
  });

  it('maps a name through its field definition', () => {
    const catalog = { showFields: [{ id: 40, fieldDefinition: 7 }], fieldDefinitions: [{ id: 7, name: 'Transcript' }] };
    expect(findShowFieldId(catalog, 'TRANSCRIPT')).toBe(40);
    expect(() => findShowFieldId(catalog, 'Other')).toThrow(UsageError);
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
