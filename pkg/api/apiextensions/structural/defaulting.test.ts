import { describe, expect, it } from 'vitest';
import { applySchemaDefaults } from './defaulting.ts';
import type { JSONSchemaProps } from './schema-props.ts';

const specSchema = (properties: Record<string, JSONSchemaProps>): JSONSchemaProps => ({
  type: 'object',
  properties: { spec: { type: 'object', properties } },
});

describe('applySchemaDefaults', () => {
  it.each<[string, JSONSchemaProps, Record<string, unknown>, Record<string, unknown>]>([
    ['absent scalar gets its default', specSchema({ replicas: { type: 'integer', default: 1 } }), { spec: {} }, { spec: { replicas: 1 } }],
    ['present value is kept', specSchema({ replicas: { type: 'integer', default: 1 } }), { spec: { replicas: 3 } }, { spec: { replicas: 3 } }],
    ['falsy values are present', specSchema({ on: { type: 'boolean', default: true } }), { spec: { on: false } }, { spec: { on: false } }],
    ['non-nullable null is defaulted', specSchema({ image: { type: 'string', default: 'nginx' } }), { spec: { image: null } }, { spec: { image: 'nginx' } }],
    ['nullable null stays null', specSchema({ image: { type: 'string', nullable: true, default: 'nginx' } }), { spec: { image: null } }, { spec: { image: null } }],
    ['no parent object, no nested default', specSchema({ a: { type: 'string', default: 'x' } }), {}, {}],
    [
      'object default is applied, then defaults inside it',
      specSchema({ nested: { type: 'object', default: {}, properties: { a: { type: 'string', default: 'x' }, b: { type: 'integer' } } } }),
      { spec: {} },
      { spec: { nested: { a: 'x' } } },
    ],
    [
      'defaults inside array items',
      specSchema({ list: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer', default: 80 }, name: { type: 'string' } } } } }),
      { spec: { list: [{ name: 'a' }, { name: 'b', port: 8080 }] } },
      { spec: { list: [{ name: 'a', port: 80 }, { name: 'b', port: 8080 }] } },
    ],
    [
      'null array items get the items default',
      specSchema({ list: { type: 'array', items: { type: 'string', default: 'd' } } }),
      { spec: { list: ['a', null] } },
      { spec: { list: ['a', 'd'] } },
    ],
    [
      'defaults inside additionalProperties values',
      specSchema({ m: { type: 'object', additionalProperties: { type: 'object', properties: { weight: { type: 'integer', default: 1 } } } } }),
      { spec: { m: { a: {}, b: { weight: 5 } } } },
      { spec: { m: { a: { weight: 1 }, b: { weight: 5 } } } },
    ],
    [
      'null additionalProperties values get the values default',
      specSchema({ m: { type: 'object', additionalProperties: { type: 'string', default: 'v' } } }),
      { spec: { m: { a: null, b: 'x' } } },
      { spec: { m: { a: 'v', b: 'x' } } },
    ],
    [
      'defaults are pruned before they are applied',
      specSchema({ nested: { type: 'object', default: { a: 'x', unknown: 1 }, properties: { a: { type: 'string' } } } }),
      { spec: {} },
      { spec: { nested: { a: 'x' } } },
    ],
    [
      'defaults under preserve-unknown-fields keep unknown fields',
      specSchema({ free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, default: { any: 1 } } }),
      { spec: {} },
      { spec: { free: { any: 1 } } },
    ],
    ['default null is no default', specSchema({ a: { type: 'string', nullable: true, default: null } }), { spec: {} }, { spec: {} }],
  ])('%s', (_name, schema, input, expected) => {
    const obj = structuredClone(input);
    applySchemaDefaults(obj, schema);
    expect(obj).toEqual(expected);
  });

  it('copies defaults so objects never share them', () => {
    const schema = specSchema({ nested: { type: 'object', default: { a: 'x' }, properties: { a: { type: 'string' } } } });
    const first: Record<string, unknown> = { spec: {} };
    const second: Record<string, unknown> = { spec: {} };
    applySchemaDefaults(first, schema);
    applySchemaDefaults(second, schema);
    (first.spec as { nested: { a: string } }).nested.a = 'changed';
    expect(second).toEqual({ spec: { nested: { a: 'x' } } });
    expect(schema.properties?.spec.properties?.nested.default).toEqual({ a: 'x' });
  });
});
