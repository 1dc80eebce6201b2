import { describe, expect, it } from 'vitest';
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { mergeApplied, removeFields, stepInto, stepper } from './object-paths.ts';

const meta: PatchMeta = {
  'spec.containers': { strategy: 'merge', mergeKey: 'name' },
  'metadata.finalizers': { strategy: 'merge' },
};

/** `items` behind a proxy that counts reads of its elements. */
function counted<T>(items: T[]): { list: T[]; reads: () => number } {
  let reads = 0;
  const list = new Proxy(items, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
      return Reflect.get(target, prop, receiver);
    },
  });
  return { list, reads: () => reads };
}

describe('stepper', () => {
  it('finds associative-list items by key and set items by value, first match winning, as stepInto does', () => {
    const containers = [{ name: 'a', image: '1' }, { name: 'b', image: '2' }, { name: 'a', image: '3' }];
    const step = stepper(containers, 'spec.containers', meta);
    for (const el of ['k:{"name":"a"}', 'k:{"name":"b"}', 'k:{"name":"zz"}', 'i:1']) expect(step(el)).toBe(stepInto(containers, el, 'spec.containers', meta));
    expect(step('k:{"name":"a"}')).toEqual({ name: 'a', image: '1' });
    const finalizers = ['x.io/a', 'x.io/b'];
    expect(stepper(finalizers, 'metadata.finalizers', meta)('v:"x.io/b"')).toBe('x.io/b');
    expect(stepper({ spec: 1 }, '', meta)('f:spec')).toBe(1);
  });

  it('reads each item of a long list a bounded number of times however many items are looked up (a scan per lookup read n² of them)', () => {
    const n = 300;
    const { list, reads } = counted(Array.from({ length: n }, (_, i) => ({ name: `c${i}` })));
    const step = stepper(list, 'spec.containers', meta);
    for (let i = 0; i < n; i++) expect(step(`k:{"name":"c${i}"}`)).toEqual({ name: `c${i}` });
    expect(reads()).toBeLessThanOrEqual(2 * n);
  });
});

describe('mergeApplied', () => {
  it('merges applied list items into live ones by key, appending new ones, in one pass', () => {
    const n = 300;
    // Live items that count reads of their key field: merging by a scan per applied item read it n² times.
    let reads = 0;
    const list = Array.from({ length: n }, (_, i) => new Proxy({ name: `c${i}`, image: 'old' }, { get: (t, p) => (p === 'name' && reads++, Reflect.get(t, p)) }));
    // Applied in reverse, so that a scan for each item would pass every live item not merged yet.
    const applied = [...Array.from({ length: n }, (_, i) => ({ name: `c${n - 1 - i}`, image: 'new' })), { name: 'extra', image: 'x' }, { name: 'extra', image: 'y' }];
    const merged = mergeApplied({ spec: { containers: list } }, { spec: { containers: applied } }, '', meta) as { spec: { containers: Array<{ name: string; image: string }> } };
    expect(merged.spec.containers).toHaveLength(n + 1);
    expect(merged.spec.containers.every((c, i) => (i < n ? c.image === 'new' : c.name === 'extra' && c.image === 'y'))).toBe(true);
    expect(reads).toBeLessThanOrEqual(10 * n);
  });
});

describe('removeFields', () => {
  it('removes leaf fields, whole list items (a `.` or a leaf element) and fields inside kept items', () => {
    const obj = {
      metadata: { labels: { a: '1', b: '2' }, finalizers: ['x.io/a', 'x.io/b'] },
      spec: { containers: [{ name: 'a', image: '1', tty: true }, { name: 'b', image: '2' }, { name: 'c', image: '3' }] },
    };
    removeFields(obj, {
      'f:metadata': { 'f:labels': { 'f:a': {} }, 'f:finalizers': { 'v:"x.io/a"': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"a"}': { 'f:tty': {} }, 'k:{"name":"b"}': { '.': {}, 'f:image': {} }, 'k:{"name":"zz"}': { '.': {} } } },
    }, meta);
    expect(obj).toEqual({ metadata: { labels: { b: '2' }, finalizers: ['x.io/b'] }, spec: { containers: [{ name: 'a', image: '1' }, { name: 'c', image: '3' }] } });
  });

  it('drops half of a long list reading each item a bounded number of times (removing one path at a time scanned the list per path)', () => {
    const n = 300;
    let reads = 0;
    const containers = Array.from({ length: 2 * n }, (_, i) => new Proxy({ name: `c${i}` }, { get: (t, p) => (p === 'name' && reads++, Reflect.get(t, p)) }));
    const dropped = Object.fromEntries(Array.from({ length: n }, (_, i) => [`k:{"name":"c${2 * i}"}`, { '.': {} }]));
    const obj = { spec: { containers } };
    removeFields(obj, { 'f:spec': { 'f:containers': dropped } }, meta);
    expect(obj.spec.containers.map((c) => c.name)).toEqual(Array.from({ length: n }, (_, i) => `c${2 * i + 1}`));
    expect(reads).toBeLessThanOrEqual(10 * n);
  });
});
