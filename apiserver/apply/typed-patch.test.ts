import { describe, expect, it } from 'vitest';
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { firstDuplicateEntry, typedPath, validationErrorsText } from './typed-patch.ts';

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

describe('typedPath', () => {
  it('names list-map items by key, other items by index', () => {
    const obj = deployment({ ports: [{ containerPort: 80, nam: 'x' }] });
    expect(typedPath(obj, ['spec', 'template', 'spec', 'containers', 1, 'imagePullPolice'], meta)).toBe('.spec.template.spec.containers[name="c"].imagePullPolice');
    expect(typedPath(obj, ['spec', 'template', 'spec', 'containers', 1, 'ports', 0, 'nam'], meta)).toBe('.spec.template.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"].nam');
    expect(typedPath({ spec: { tolerations: [{ key: 'k', tolerationSecond: 1 }] } }, ['spec', 'tolerations', 0, 'tolerationSecond'], meta)).toBe('.spec.tolerations[0].tolerationSecond');
    expect(typedPath({ spec: { replica: 2 } }, ['spec', 'replica'], meta)).toBe('.spec.replica');
  });

  it('joins several errors as structured-merge-diff does', () => {
    expect(validationErrorsText(['.a: x'])).toBe('.a: x');
    expect(validationErrorsText(['.a: x', '.b: y'])).toBe('errors:\n  .a: x\n  .b: y');
  });
});
