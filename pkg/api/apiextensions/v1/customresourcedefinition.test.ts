import { describe, expect, it } from 'vitest';
import { customResourceDefinitionResource as crd } from './customresourcedefinition.ts';

const valid = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: { group: 'stable.example.com', scope: 'Namespaced', names: { plural: 'crontabs', kind: 'CronTab' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
};

describe('CustomResourceDefinition (stored, not yet served)', () => {
  it('accepts a valid definition and keeps its version schemas', () => {
    const obj = crd.schema.parse(valid);
    expect(crd.validate(obj)).toEqual([]);
    expect((obj.spec as any).versions[0].schema.openAPIV3Schema.type).toBe('object');
  });

  it('requires the name to be plural.group, a scope and versions', () => {
    const obj = crd.schema.parse({ ...valid, metadata: { name: 'wrong' }, spec: { group: 'stable.example.com', names: { plural: 'crontabs', kind: 'CronTab' } } });
    expect(crd.validate(obj).map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'spec.scope: Unsupported value: "": supported values: "Cluster", "Namespaced"',
      'spec.versions: Required value: must have exactly one version marked as storage version',
      'metadata.name: Invalid value: "wrong": must be spec.names.plural+"."+spec.group',
    ]);
  });
});
