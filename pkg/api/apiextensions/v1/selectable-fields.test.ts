import { describe, expect, it } from 'vitest';
import type { JSONSchemaProps } from '../structural/index.ts';
import { selectableFieldExtractors, validateSelectableFields } from './selectable-fields.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        color: { type: 'string', enum: ['red', 'blue'] },
        size: { type: 'integer' },
        on: { type: 'boolean' },
        ratio: { type: 'number' },
        tags: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};
const texts = (fields: Array<{ jsonPath?: string }>) => validateSelectableFields(fields, schema, 'spec.versions[0].selectableFields').map((e) => `${e.field}: ${e.detail}`);

describe('validateSelectableFields (upstream ValidateCustomResourceSelectableFields)', () => {
  it('accepts string, integer and boolean fields', () => {
    expect(texts([{ jsonPath: '.spec.color' }, { jsonPath: '.spec.size' }, { jsonPath: '.spec.on' }])).toEqual([]);
  });
  it('refuses a missing path, an unknown field, array notation, another type, duplicates and more than 8', () => {
    expect(texts([{}, { jsonPath: '.spec.shape' }, { jsonPath: ".spec.tags['a']" }, { jsonPath: '.spec.ratio' }, { jsonPath: '.spec.color' }, { jsonPath: '.spec.color' }])).toEqual([
      'spec.versions[0].selectableFields[0].jsonPath: Required value',
      'spec.versions[0].selectableFields[1].jsonPath: Invalid value: ".spec.shape": is an invalid path: does not refer to a valid field',
      'spec.versions[0].selectableFields[2].jsonPath: Invalid value: ".spec.tags[\'a\']": is an invalid path: array notation is not allowed',
      'spec.versions[0].selectableFields[3].jsonPath: Invalid value: ".spec.ratio": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
      'spec.versions[0].selectableFields[5].jsonPath: Duplicate value: ".spec.color"',
    ]);
    const many = { type: 'object', properties: { spec: { type: 'object', properties: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, { type: 'string' }])) } } } as JSONSchemaProps;
    const nine = Array.from({ length: 9 }, (_, i) => ({ jsonPath: `.spec.f${i}` }));
    expect(validateSelectableFields(nine, many, 'p').map((e) => `${e.field}: ${e.detail}`)).toEqual(['p: Too many: 9: must have at most 8 items']);
  });
});

describe('selectableFieldExtractors', () => {
  it('gives field-selector values: strings as is, booleans and integers as text, undefined when absent', () => {
    const get = selectableFieldExtractors([{ jsonPath: '.spec.color' }, { jsonPath: '.spec.size' }, { jsonPath: '.spec.on' }]);
    const obj = { metadata: { name: 'a' }, spec: { color: 'red', size: 3, on: false } };
    expect(Object.keys(get)).toEqual(['spec.color', 'spec.size', 'spec.on']);
    expect([get['spec.color']!(obj), get['spec.size']!(obj), get['spec.on']!(obj)]).toEqual(['red', '3', 'false']);
    expect(get['spec.color']!({ metadata: { name: 'b' } })).toBeUndefined();
  });
});
