import { describe, expect, it } from 'vitest';
import { pruneUnknownFields } from './prune.ts';
import type { JSONSchemaProps } from './schema-props.ts';

const typeMeta = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'a', unknownMeta: 1 } };

const specSchema = (spec: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', properties: { spec } });

describe('pruneUnknownFields', () => {
  it.each<[string, JSONSchemaProps, Record<string, unknown>, Record<string, unknown>, string[]]>([
    [
      'drops unknown fields at every level, keeps root type meta and metadata untouched',
      specSchema({ type: 'object', properties: { a: { type: 'string' }, nested: { type: 'object', properties: { b: { type: 'integer' } } } } }),
      { ...typeMeta, spec: { a: 'x', foo: 1, nested: { b: 1, c: 2 } }, status: {} },
      { ...typeMeta, spec: { a: 'x', nested: { b: 1 } } },
      ['spec.foo', 'spec.nested.c', 'status'],
    ],
    [
      'drops unknown fields inside array items with their index',
      specSchema({ type: 'object', properties: { list: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } } } }),
      { spec: { list: [{ name: 'a', x: 1 }, { name: 'b' }, { y: 2 }] } },
      { spec: { list: [{ name: 'a' }, { name: 'b' }, {}] } },
      ['spec.list[0].x', 'spec.list[2].y'],
    ],
    [
      'keeps map keys under additionalProperties and prunes inside the values',
      specSchema({ type: 'object', properties: { m: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string' } } } } } }),
      { spec: { m: { k1: { v: 'a', junk: 1 }, k2: {} } } },
      { spec: { m: { k1: { v: 'a' }, k2: {} } } },
      ['spec.m.k1.junk'],
    ],
    [
      'preserve-unknown-fields at the root keeps everything not specified',
      { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } },
      { spec: { a: 'x', b: 1 }, other: { deep: true } },
      { spec: { a: 'x' }, other: { deep: true } },
      ['spec.b'],
    ],
    [
      'preserve-unknown-fields nested keeps the subtree',
      specSchema({ type: 'object', properties: { free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }),
      { spec: { free: { anything: { goes: [1, { x: 1 }] } }, gone: 1 } },
      { spec: { free: { anything: { goes: [1, { x: 1 }] } } } },
      ['spec.gone'],
    ],
    [
      'preserve-unknown-fields still prunes inside specified properties',
      specSchema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } }),
      { spec: { known: { a: 'x', b: 1 }, extra: 1 } },
      { spec: { known: { a: 'x' }, extra: 1 } },
      ['spec.known.b'],
    ],
    [
      'embedded resources keep apiVersion, kind and known metadata; unknown metadata fields go',
      specSchema({ type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } } } }),
      { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' }, bogus: 1 }, spec: { a: 'x', b: 1 }, extra: 1 } } },
      { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { a: 'x' } } } },
      ['spec.template.extra', 'spec.template.spec.b', 'spec.template.metadata.bogus'],
    ],
    [
      'metadata below the root is an ordinary field',
      specSchema({ type: 'object', properties: { a: { type: 'string' } } }),
      { spec: { a: 'x', metadata: {}, kind: 'K' } },
      { spec: { a: 'x' } },
      ['spec.kind', 'spec.metadata'],
    ],
    [
      'non-nullable nulls without a default are dropped silently; nullable and defaulted ones stay',
      specSchema({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string', nullable: true }, c: { type: 'string', default: 'x' } } }),
      { spec: { a: null, b: null, c: null } },
      { spec: { b: null, c: null } },
      [],
    ],
    [
      'fields of an object without properties are all unknown',
      specSchema({ type: 'object' }),
      { spec: { a: 1 } },
      { spec: {} },
      ['spec.a'],
    ],
  ])('%s', (_name, schema, input, expected, removed) => {
    const obj = structuredClone(input);
    expect(pruneUnknownFields(obj, schema)).toEqual(removed);
    expect(obj).toEqual(expected);
  });
});
