import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { priorityClassResource } from './priorityclass.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);

function pc(name: string, fields: Record<string, unknown>) {
  const p = priorityClassResource.schema.parse({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, ...fields });
  priorityClassResource.applyDefaults(p);
  return p;
}

describe('PriorityClass', () => {
  it('defaults preemptionPolicy and value', () => {
    const p = pc('high', { description: 'x' });
    expect(p).toMatchObject({ value: 0, preemptionPolicy: 'PreemptLowerPriority' });
    expect(priorityClassResource.validate(p)).toEqual([]);
  });

  it.each<[string, string, Record<string, unknown>, string[]]>([
    ['user value above 1e9', 'huge', { value: 1_000_000_001 }, ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']],
    ['user value of 1e9', 'top', { value: 1_000_000_000 }, []],
    ['known system class', 'system-node-critical', { value: 2_000_001_000 }, []],
    ['unknown system class', 'system-foo', { value: 5 }, ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-foo is not a known system priority class"]],
    ['system class with wrong value', 'system-cluster-critical', { value: 5 }, ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-cluster-critical PriorityClass must be 2000000000"]],
    ['bad preemptionPolicy', 'p', { value: 1, preemptionPolicy: 'Always' }, ['preemptionPolicy: Unsupported value: "Always": supported values: "PreemptLowerPriority", "Never"']],
  ])('%s', (_name, name, fields, expected) => {
    expect(lines(priorityClassResource.validate(pc(name, fields)))).toEqual(expected);
  });

  it('value and preemptionPolicy may not change', () => {
    const old = pc('p', { value: 1 });
    expect(lines(priorityClassResource.validate(pc('p', { value: 2, preemptionPolicy: 'Never' }), old))).toEqual([
      'value: Forbidden: may not be changed in an update.',
      'preemptionPolicy: Invalid value: "Never": field is immutable',
    ]);
  });

  it('is cluster-scoped with short name pc', () => {
    expect(priorityClassResource).toMatchObject({ namespaced: false, shortNames: ['pc'], group: 'scheduling.k8s.io' });
  });
});
