import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import type { JSONSchemaProps } from './schema-props.ts';
import { validateCustomObject, validateValueAgainstSchema } from './validate-custom-object.ts';

const render = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.detail}`);

/** A root schema with one `spec.x` field described by `x`. */
const specX = (x: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', properties: { spec: { type: 'object', properties: { x } } } });
const withX = (x: unknown): Record<string, unknown> => ({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'a' }, spec: { x } });

describe('validateCustomObject: one field', () => {
  it.each<[string, JSONSchemaProps, unknown, string[]]>([
    ['integer accepts integers', { type: 'integer' }, 3, []],
    ['integer rejects strings', { type: 'integer' }, 'three', ['spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"']],
    ['integer rejects fractions (type and range)', { type: 'integer' }, 1.5, [
      'spec.x: Invalid value: "number": spec.x in body must be of type integer: "number"',
      '<nil>: Invalid value: "": Checked value must be of type integer (default format) in spec.x',
    ]],
    ['number accepts integers', { type: 'number' }, 3, []],
    ['number accepts fractions', { type: 'number' }, 2.5, []],
    ['number rejects booleans', { type: 'number' }, true, ['spec.x: Invalid value: "boolean": spec.x in body must be of type number: "boolean"']],
    ['boolean rejects strings', { type: 'boolean' }, 'true', ['spec.x: Invalid value: "string": spec.x in body must be of type boolean: "string"']],
    ['string rejects integers', { type: 'string' }, 1, ['spec.x: Invalid value: "integer": spec.x in body must be of type string: "integer"']],
    ['object rejects arrays', { type: 'object' }, [], ['spec.x: Invalid value: "array": spec.x in body must be of type object: "array"']],
    ['array rejects objects', { type: 'array', items: { type: 'string' } }, {}, ['spec.x: Invalid value: "object": spec.x in body must be of type array: "object"']],
    ['non-nullable null', { type: 'string' }, null, ['spec.x: Invalid value: "null": spec.x in body must be of type string: "null"']],
    ['nullable: false null', { type: 'string', nullable: false }, null, ['spec.x: Invalid value: "null": spec.x in body must be of type string: "null"']],
    ['nullable null', { type: 'string', nullable: true }, null, []],
    ['untyped nullable accepts anything', { nullable: true }, [1, 'a'], []],
    ['int-or-string integer', { 'x-kubernetes-int-or-string': true }, 8080, []],
    ['int-or-string string', { 'x-kubernetes-int-or-string': true }, '50%', []],
    ['int-or-string rejects booleans', { 'x-kubernetes-int-or-string': true }, true, ['spec.x: Invalid value: "boolean": spec.x in body must be of type integer,string: "boolean"']],
    ['int-or-string rejects fractions', { 'x-kubernetes-int-or-string': true }, 1.2, ['spec.x: Invalid value: "number": spec.x in body must be of type integer,string: "number"']],
    ['int-or-string rejects null', { 'x-kubernetes-int-or-string': true }, null, ['spec.x: Invalid value: "null": spec.x in body must be of type integer,string: "null"']],
    ['int-or-string with the anyOf spelling', { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }, true, [
      'spec.x: Invalid value: "boolean": spec.x in body must be of type integer,string: "boolean"',
      '<nil>: Invalid value: "": "spec.x" must validate at least one schema (anyOf)',
      'spec.x: Invalid value: "boolean": spec.x in body must be of type integer: "boolean"',
    ]],
    ['enum match', { type: 'string', enum: ['a', 'b'] }, 'a', []],
    ['enum mismatch', { type: 'string', enum: ['a', 'b'] }, 'c', ['spec.x: Unsupported value: "c": supported values: "a", "b"']],
    ['enum of numbers', { type: 'integer', enum: [1, 2] }, 3, ['spec.x: Unsupported value: 3: supported values: "1", "2"']],
    ['enum and type both fail', { type: 'integer', enum: [1, 2] }, 'x', [
      'spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"',
      'spec.x: Unsupported value: "x": supported values: "1", "2"',
    ]],
    ['enum of booleans shows the value unquoted', { type: 'string', enum: ['a'] }, true, [
      'spec.x: Invalid value: "boolean": spec.x in body must be of type string: "boolean"',
      'spec.x: Unsupported value: true: supported values: "a"',
    ]],
    ['pattern match', { type: 'string', pattern: '^\\d+$' }, '123', []],
    ['pattern mismatch', { type: 'string', pattern: '^\\d+$' }, 'abc', ["spec.x: Invalid value: \"abc\": spec.x in body should match '^\\d+$'"]],
    ['pattern is a search, not a full match', { type: 'string', pattern: '[a-z]' }, '1a1', []],
    ['RE2 flags group', { type: 'string', pattern: '(?i)^abc$' }, 'ABC', []],
    ['maximum', { type: 'integer', maximum: 10 }, 11, ['spec.x: Invalid value: 11: spec.x in body should be less than or equal to 10']],
    ['maximum at the bound', { type: 'integer', maximum: 10 }, 10, []],
    ['exclusive maximum', { type: 'integer', maximum: 10, exclusiveMaximum: true }, 10, ['spec.x: Invalid value: 10: spec.x in body should be less than 10']],
    ['minimum', { type: 'integer', minimum: 1 }, 0, ['spec.x: Invalid value: 0: spec.x in body should be greater than or equal to 1']],
    ['exclusive minimum', { type: 'number', minimum: 0.5, exclusiveMinimum: true }, 0.5, ['spec.x: Invalid value: 0.5: spec.x in body should be greater than 0.5']],
    ['float bound printed like Go', { type: 'number', maximum: 1000000 }, 1000000.5, ['spec.x: Invalid value: 1.0000005e+06: spec.x in body should be less than or equal to 1e+06']],
    ['multipleOf', { type: 'integer', multipleOf: 5 }, 12, ['spec.x: Invalid value: 12: spec.x in body should be a multiple of 5']],
    ['multipleOf fraction', { type: 'number', multipleOf: 0.5 }, 1.25, ['spec.x: Invalid value: 1.25: spec.x in body should be a multiple of 0.5']],
    ['int32 range', { type: 'integer', format: 'int32' }, 2 ** 31, ['<nil>: Invalid value: "": Checked value must be of type integer with format int32 in spec.x']],
    ['int64 rejects fractions by format', { type: 'integer', format: 'int64' }, 1.5, [
      'spec.x: Invalid value: "float64": spec.x in body must be of type int64: "float64"',
      '<nil>: Invalid value: "": Checked value must be of type integer with format int64 in spec.x',
    ]],
    ['minLength', { type: 'string', minLength: 1 }, '', ['spec.x: Invalid value: "": spec.x in body should be at least 1 chars long']],
    ['maxLength', { type: 'string', maxLength: 2 }, 'abc', ['spec.x: Too long: may not be more than 2 bytes']],
    ['maxLength 1', { type: 'string', maxLength: 1 }, 'ab', ['spec.x: Too long: may not be more than 1 byte']],
    ['maxLength counts characters', { type: 'string', maxLength: 2 }, 'éé', []],
    ['minItems', { type: 'array', items: { type: 'string' }, minItems: 1 }, [], ['spec.x: Invalid value: 0: spec.x in body should have at least 1 items']],
    ['maxItems', { type: 'array', items: { type: 'string' }, maxItems: 2 }, ['a', 'b', 'c'], ['spec.x: Too many: 3: must have at most 2 items']],
    ['items are validated with their index', { type: 'array', items: { type: 'integer' } }, [1, 'b'], ['spec.x[1]: Invalid value: "string": spec.x[1] in body must be of type integer: "string"']],
    ['uniqueItems', { type: 'array', items: { type: 'string' }, uniqueItems: true }, ['a', 'a'], ['spec.x: Invalid value: "": spec.x in body shouldn\'t contain duplicates']],
    ['maxProperties', { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 1 }, { a: 'x', b: 'y' }, ['spec.x: Too many: 2: must have at most 1 item']],
    ['minProperties', { type: 'object', additionalProperties: { type: 'string' }, minProperties: 1 }, {}, ['spec.x: Invalid value: 0: spec.x in body should have at least 1 properties']],
    ['map values are validated by key', { type: 'object', additionalProperties: { type: 'integer' } }, { a: 1, b: 'two' }, ['spec.x.b: Invalid value: "string": spec.x.b in body must be of type integer: "string"']],
    ['additionalProperties: false', { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, { a: 'x', b: 'y' }, ['spec.x: Invalid value: "b": spec.x.b in body is a forbidden property']],
    ['date-time format', { type: 'string', format: 'date-time' }, 'yesterday', ['spec.x: Invalid value: "yesterday": spec.x in body must be of type date-time: "yesterday"']],
    ['date-time format ok', { type: 'string', format: 'date-time' }, '2024-02-29T10:00:00Z', []],
    ['unsupported format is ignored', { type: 'string', format: 'my-format' }, 'anything', []],
    ['k8s-short-name format', { type: 'string', format: 'k8s-short-name' }, 'a-', ['spec.x: Invalid value: "a-": spec.x in body must be of type k8s-short-name: "a-"']],
    ['preserve-unknown-fields accepts any type', { 'x-kubernetes-preserve-unknown-fields': true }, { anything: [1] }, []],
    ['anyOf of required fields', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, anyOf: [{ required: ['a'] }, { required: ['b'] }] }, {}, [
      '<nil>: Invalid value: "": "spec.x" must validate at least one schema (anyOf)',
      'spec.x.a: Required value',
    ]],
    ['oneOf with two matches', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, oneOf: [{ required: ['a'] }, { required: ['b'] }] }, { a: '1', b: '2' }, [
      '<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found 2 valid alternatives',
    ]],
    ['allOf', { type: 'string', allOf: [{ minLength: 2 }, { pattern: '^a' }] }, 'b', [
      'spec.x: Invalid value: "b": spec.x in body should be at least 2 chars long',
      "spec.x: Invalid value: \"b\": spec.x in body should match '^a'",
      '<nil>: Invalid value: "": "spec.x" must validate all the schemas (allOf). None validated',
    ]],
    ['not', { type: 'string', not: { enum: ['forbidden'] } }, 'forbidden', ['<nil>: Invalid value: "": "spec.x" must not validate the schema (not)']],
  ])('%s', (_name, x, value, expected) => {
    expect(render(validateCustomObject(withX(value), specX(x)))).toEqual(expected);
  });
});

describe('validateCustomObject: objects', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['cronSpec', 'image'],
        properties: {
          cronSpec: { type: 'string' },
          image: { type: 'string' },
          replicas: { type: 'integer' },
          template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
    required: ['spec'],
  };

  it.each<[string, Record<string, unknown>, string[]]>([
    ['valid', { spec: { cronSpec: '* * * * */5', image: 'x' } }, []],
    ['missing root field', {}, ['spec: Required value']],
    ['missing nested fields, wrong type', { spec: { replicas: 'string' } }, [
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      'spec.cronSpec: Required value',
      'spec.image: Required value',
    ]],
    ['null required field counts as present but must be typed', { spec: { cronSpec: null, image: 'x' } }, [
      'spec.cronSpec: Invalid value: "null": spec.cronSpec in body must be of type string: "null"',
    ]],
    ['embedded resource needs apiVersion and kind', { spec: { cronSpec: 'a', image: 'b', template: { metadata: {} } } }, [
      'spec.template.apiVersion: Required value',
      'spec.template.kind: Required value',
    ]],
    ['embedded resource kind must be a DNS-1035 label up to case', { spec: { cronSpec: 'a', image: 'b', template: { apiVersion: 'v1', kind: 'Pod_x' } } }, [
      'spec.template.kind: Invalid value: "Pod_x": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
    ]],
  ])('%s', (_name, obj, expected) => {
    expect(render(validateCustomObject(obj, schema))).toEqual(expected);
  });

  it('reports type errors with the TypeInvalid cause type and others as Invalid', () => {
    const errs = validateCustomObject(withX('a'), specX({ type: 'integer', enum: [1] }));
    expect(errs.map((e) => e.type)).toEqual(['FieldValueTypeInvalid', 'FieldValueNotSupported']);
  });

  it('validates a subtree under a base path (status subresource)', () => {
    const status: JSONSchemaProps = { type: 'object', properties: { num: { type: 'integer', maximum: 10 } } };
    expect(render(validateValueAgainstSchema({ num: 15 }, status, 'status'))).toEqual([
      'status.num: Invalid value: 15: num in body should be less than or equal to 10',
    ]);
  });
});
