import { describe, expect, it } from 'vitest';
import { strategicMerge } from './strategic-merge.ts';

const meta = {
  'spec.containers': { strategy: 'merge' as const, mergeKey: 'name' },
  'spec.containers[].ports': { strategy: 'merge' as const, mergeKey: 'containerPort' },
  'metadata.finalizers': { strategy: 'merge' as const },
};
const pod = {
  metadata: { name: 'p', labels: { a: '1' }, finalizers: ['x'] },
  spec: { containers: [{ name: 'a', image: 'a:1', ports: [{ containerPort: 80 }] }, { name: 'b', image: 'b:1' }], volumes: [{ name: 'v' }] },
};

describe('strategicMerge', () => {
  it.each([
    ['merges containers by name (kubectl set image)', { spec: { containers: [{ name: 'b', image: 'b:2' }] } }, (r: any) => expect(r.spec.containers).toEqual([pod.spec.containers[0], { name: 'b', image: 'b:2' }])],
    ['appends a new container', { spec: { containers: [{ name: 'c', image: 'c' }] } }, (r: any) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['a', 'b', 'c'])],
    ['deletes by $patch: delete', { spec: { containers: [{ name: 'a', $patch: 'delete' }] } }, (r: any) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['b'])],
    ['merges nested lists by their own key', { spec: { containers: [{ name: 'a', ports: [{ containerPort: 443 }] }] } }, (r: any) => expect(r.spec.containers[0].ports).toEqual([{ containerPort: 80 }, { containerPort: 443 }])],
    ['replaces lists without a strategy', { spec: { volumes: [{ name: 'w' }] } }, (r: any) => expect(r.spec.volumes).toEqual([{ name: 'w' }])],
    ['unions primitive merge lists', { metadata: { finalizers: ['y', 'x'] } }, (r: any) => expect(r.metadata.finalizers).toEqual(['x', 'y'])],
    ['removes from primitive lists', { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }, (r: any) => expect(r.metadata.finalizers).toEqual([])],
    ['deletes map keys with null', { metadata: { labels: { a: null, b: '2' } } }, (r: any) => expect(r.metadata.labels).toEqual({ b: '2' })],
    ['replaces a map with $patch: replace', { metadata: { labels: { c: '3', $patch: 'replace' } } }, (r: any) => expect(r.metadata.labels).toEqual({ c: '3' })],
    ['orders with $setElementOrder', { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', image: 'a:2' }] } }, (r: any) => expect(r.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(['b=b:1', 'a=a:2'])],
    ['keeps only $retainKeys', { spec: { $retainKeys: ['containers'], volumes: [] } }, (r: any) => expect(Object.keys(r.spec)).toEqual(['containers'])],
  ])('%s', (_name, patch, check) => {
    const before = JSON.stringify(pod);
    check(strategicMerge(pod, patch, meta));
    expect(JSON.stringify(pod)).toBe(before);
  });
});
