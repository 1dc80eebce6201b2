import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import type { JSONSchemaProps } from './schema-props.ts';
import { validateCrdSchema } from './validate-crd-schema.ts';

const base = 'spec.versions[0].schema.openAPIV3Schema';
const spec = `${base}.properties[spec]`;
const render = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.detail}`);

/** A controller-gen style root with `spec` described by `specSchema`. */
const root = (specSchema: JSONSchemaProps, extra: JSONSchemaProps = {}): JSONSchemaProps => ({
  type: 'object',
  properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: specSchema },
  ...extra,
});

describe('validateCrdSchema', () => {
  it.each<[string, JSONSchemaProps, string[]]>([
    ['a typical structural schema', root({
      type: 'object',
      required: ['image'],
      properties: {
        image: { type: 'string', default: 'nginx', pattern: '^[a-z]+$' },
        replicas: { type: 'integer', format: 'int32', minimum: 0, default: 1 },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        quantity: { 'x-kubernetes-int-or-string': true, allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, { pattern: '^\\d' }] },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } },
        },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
      anyOf: [{ required: ['image'] }, { required: ['replicas'] }],
    }), []],
    ['metadata may restrict name and generateName', root({ type: 'object' }, {
      properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 20 }, generateName: { type: 'string' } } } },
    }), []],
    ['root without type', { properties: { spec: { type: 'object' } } }, [`${base}.type: Required value: must not be empty at the root`]],
    ['root of another type', { type: 'string' }, [`${base}.type: Invalid value: "string": must be object at the root`]],
    ['nullable root', { type: 'object', nullable: true }, [`${base}.nullable: Forbidden: nullable cannot be true at the root`]],
    ['field without type', root({ type: 'object', properties: { foo: { description: 'no type' } } }), [
      `${spec}.properties[foo].type: Required value: must not be empty for specified object fields`,
    ]],
    ['array without items', root({ type: 'object', properties: { list: { type: 'array' } } }), [
      `${spec}.properties[list].items: Required value: must be specified`,
    ]],
    ['array items without type', root({ type: 'object', properties: { list: { type: 'array', items: {} } } }), [
      `${spec}.properties[list].items.type: Required value: must not be empty for specified array items`,
    ]],
    ['properties and additionalProperties', root({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } }), [
      `${spec}.additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ]],
    ['additionalProperties at the root', { type: 'object', additionalProperties: { type: 'string' } }, [
      `${base}.additionalProperties: Forbidden: must not be used at the root`,
    ]],
    ['metadata with other fields', root({ type: 'object' }, { properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }), [
      `${base}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ]],
    ['metadata of another type', root({ type: 'object' }, { properties: { metadata: { type: 'string' } } }), [
      `${base}.properties[metadata].type: Invalid value: "string": must be object`,
    ]],
    ['kind must be a string', root({ type: 'object' }, { properties: { kind: { type: 'integer' } } }), [
      `${base}.properties[kind].type: Invalid value: "integer": must be string`,
    ]],
    ['types in value validations', root({ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ type: 'object' }] }), [
      `${spec}.anyOf[0].type: Forbidden: must be empty to be structural`,
    ]],
    ['defaults and descriptions in value validations', root({ type: 'string', allOf: [{ default: 'x', description: 'd' }] }), [
      `${spec}.allOf[0].default: Forbidden: must be undefined to be structural`,
      `${spec}.allOf[0].description: Forbidden: must be empty to be structural`,
    ]],
    ['value validations of unspecified fields', { type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ properties: { b: { minLength: 1 } } }] }, [
      `${base}.properties[b]: Required value: because it is defined in ${base}.anyOf[0].properties[b]`,
    ]],
    ['completeness is checked from the root only, as upstream', root({ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ properties: { b: { minLength: 1 } } }] }), []],
    ['metadata in value validations', { type: 'object', properties: { a: { type: 'string' } }, not: { properties: { metadata: {} } } }, [
      `${base}.not.properties[metadata]: Forbidden: must not be specified in a nested context`,
      `${base}.properties[metadata]: Required value: because it is defined in ${base}.not.properties[metadata]`,
    ]],
    ['int-or-string with preserve-unknown-fields', root({ type: 'object', properties: { a: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true } } }), [
      `${spec}.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`,
    ]],
    ['embedded resource without fields', root({ type: 'object', properties: { t: { type: 'object', 'x-kubernetes-embedded-resource': true } } }), [
      `${spec}.properties[t].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
    ]],
    ['structural errors are sorted by their text', root({ type: 'object', properties: { z: {}, a: {} } }), [
      `${spec}.properties[a].type: Required value: must not be empty for specified object fields`,
      `${spec}.properties[z].type: Required value: must not be empty for specified object fields`,
    ]],
    ['default of the wrong type', root({ type: 'object', properties: { replicas: { type: 'integer', default: 'one' } } }), [
      `${spec}.properties[replicas].default: Invalid value: "string":  in body must be of type integer: "string"`,
    ]],
    ['default violating the schema', root({ type: 'object', properties: { n: { type: 'integer', maximum: 3, default: 5 } } }), [
      `${spec}.properties[n].default: Invalid value: 5:  in body should be less than or equal to 3`,
    ]],
    ['default with a nested field error', root({ type: 'object', properties: { o: { type: 'object', default: { a: 'x' }, properties: { a: { type: 'integer' } } } } }), [
      `${spec}.properties[o].default.a: Invalid value: "string": a in body must be of type integer: "string"`,
    ]],
    ['default with unknown fields', root({ type: 'object', properties: { o: { type: 'object', default: { a: 'x', b: 1 }, properties: { a: { type: 'string' } } } } }), [
      `${spec}.properties[o].default: Invalid value: {"a":"x","b":1}: must not have unknown fields`,
    ]],
    ['defaults are not checked while the schema is not structural', root({ type: 'object', properties: { n: { type: 'integer', default: 'x' }, m: {} } }), [
      `${spec}.properties[m].type: Required value: must not be empty for specified object fields`,
    ]],
    ['defaults in top-level metadata', root({ type: 'object' }, { properties: { metadata: { type: 'object', properties: { name: { type: 'string', default: 'x' } } } } }), [
      `${base}.properties[metadata].properties[name].default: Forbidden: must not be set in top-level metadata`,
    ]],
    ['unsupported type', root({ type: 'object', properties: { a: { type: 'float' } } }), [
      `${spec}.properties[a].type: Unsupported value: "float": supported values: "array", "boolean", "integer", "number", "object", "string"`,
    ]],
    ['type null', root({ type: 'object', properties: { a: { type: 'null' } } }), [
      `${spec}.properties[a].type: Unsupported value: "null": supported values: "array", "boolean", "integer", "number", "object", "string"`,
      `${spec}.properties[a].type: Forbidden: type cannot be set to null, use nullable as an alternative`,
    ]],
    ['uniqueItems', root({ type: 'object', properties: { l: { type: 'array', items: { type: 'string' }, uniqueItems: true } } }), [
      `${spec}.properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    ]],
    ['$ref', root({ type: 'object', properties: { a: { type: 'string', $ref: '#/definitions/a' } } }), [
      `${spec}.properties[a].$ref: Forbidden: $ref is not supported`,
    ]],
    ['preserve-unknown-fields false', root({ type: 'object', 'x-kubernetes-preserve-unknown-fields': false }), [
      `${spec}.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`,
    ]],
    ['$schema is reported only by the structural conversion', { type: 'object', $schema: 'http://json-schema.org/draft-04/schema#' }, [
      `${base}: Invalid value: "": OpenAPIV3Schema 'schema' is not supported`,
    ]],
    ['list-type map without keys', root({ type: 'object', properties: { l: { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object', properties: { name: { type: 'string' } } } } } }), [
      `${spec}.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
    ]],
    ['list map keys must be required or defaulted', root({ type: 'object', properties: { l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name', 'missing'], items: { type: 'object', properties: { name: { type: 'string' } } } } } }), [
      `${spec}.properties[l].x-kubernetes-list-map-keys: Invalid value: ["name","missing"]: entries must all be names of item properties`,
      `${spec}.properties[l].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
    ]],
    ['list-type on a non-array', root({ type: 'object', properties: { l: { type: 'string', 'x-kubernetes-list-type': 'set' } } }), [
      `${spec}.properties[l].type: Invalid value: "string": must be array if x-kubernetes-list-type is specified`,
    ]],
    ['unknown list-type', root({ type: 'object', properties: { l: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'bag' } } }), [
      `${spec}.properties[l].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`,
    ]],
    ['unknown map-type', root({ type: 'object', properties: { m: { type: 'object', 'x-kubernetes-map-type': 'loose' } } }), [
      `${spec}.properties[m].x-kubernetes-map-type: Unsupported value: "loose": supported values: "atomic", "granular"`,
    ]],
  ])('%s', (_name, schema, expected) => {
    expect(render(validateCrdSchema(schema, base))).toEqual(expected);
  });

  it('reports an invalid pattern', () => {
    const errs = render(validateCrdSchema(root({ type: 'string', pattern: '(' }), base));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.pattern: Invalid value: "\(": must be a valid regular expression, but isn't: error parsing regexp: /);
  });
});
