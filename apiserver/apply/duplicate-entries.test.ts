import { describe, expect, it } from 'vitest';
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { firstDuplicateEntry } from './duplicate-entries.ts';

const meta: PatchMeta = {
  'spec.template.spec.containers': { strategy: 'merge', mergeKey: 'name' },
  'spec.template.spec.containers[].env': { strategy: 'merge', mergeKey: 'name' },
  'spec.template.spec.containers[].ports': { strategy: 'merge', mergeKey: 'containerPort' },
  'metadata.finalizers': { strategy: 'merge' },
};

const deployment = (container: Record<string, unknown>) => ({ spec: { template: { spec: { containers: [{ name: 'web' }, { name: 'c', ...container }] } } } });

describe('firstDuplicateEntry', () => {
  it('names the list and the repeated key as upstream\'s path form', () => {
    expect(firstDuplicateEntry(deployment({ env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }), meta)).toEqual({ list: '.spec.template.spec.containers[name="c"].env', key: '[name="A"]' });
  });

  it('matches multi-key items with the defaulted protocol', () => {
    expect(firstDuplicateEntry(deployment({ ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }] }), meta)).toEqual({ list: '.spec.template.spec.containers[name="c"].ports', key: '[containerPort=80,protocol="TCP"]' });
  });

  it('finds a repeated container; none in distinct items, sets or atomic lists', () => {
    expect(firstDuplicateEntry({ spec: { template: { spec: { containers: [{ name: 'c' }, { name: 'c' }] } } } }, meta)).toEqual({ list: '.spec.template.spec.containers', key: '[name="c"]' });
    expect(firstDuplicateEntry({ ...deployment({ env: [{ name: 'A' }, { name: 'B' }], ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'UDP' }] }), metadata: { finalizers: ['x', 'x'] }, args: ['a', 'a'] }, meta)).toBeUndefined();
  });
});
