import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { RecentWrites } from './recent-writes.ts';

function obj(name: string, rv: number, data = 'x'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', resourceVersion: String(rv) }, data: { data } } as KubeObject;
}

describe('RecentWrites', () => {
  it('answers its own write while the cache is older, the cache’s copy once the cache has it', () => {
    const recent = new RecentWrites();
    const cachedCopy = obj('a', 5, 'old');
    recent.record('k/a', obj('a', 7, 'mine'), () => 5);
    expect(recent.newest('k/a', cachedCopy, 6)?.data).toEqual({ data: 'mine' });
    expect(recent.newest('k/a', undefined, 6)?.metadata.resourceVersion).toBe('7'); // the cache does not know it yet
    expect(recent.newest('k/a', cachedCopy, 7)).toBe(cachedCopy);
    expect(recent.size).toBe(0); // dropped once caught up
    expect(recent.newest('k/b', undefined, 7)).toBeUndefined();
  });

  it('keeps a frozen copy, not the object the writer goes on using', () => {
    const recent = new RecentWrites();
    const written = obj('a', 3, 'v1');
    recent.record('k/a', written, () => 0);
    (written.data as Record<string, string>).data = 'changed later';
    const kept = recent.newest('k/a', undefined, 0)!;
    expect(kept.data).toEqual({ data: 'v1' });
    expect(Object.isFrozen(kept.data)).toBe(true);
  });

  it('keeps the last write per key and forgets a deleted key', () => {
    const recent = new RecentWrites();
    recent.record('k/a', obj('a', 3, 'first'), () => 0);
    recent.record('k/a', obj('a', 4, 'second'), () => 0);
    expect(recent.size).toBe(1);
    expect(recent.newest('k/a', undefined, 0)?.data).toEqual({ data: 'second' });
    recent.forget('k/a');
    expect(recent.newest('k/a', undefined, 0)).toBeUndefined();
  });

  it('drops the oldest entries the cache has caught up with, and beyond its capacity', () => {
    const recent = new RecentWrites(2);
    let seen = 0;
    recent.record('k/a', obj('a', 1), () => seen);
    recent.record('k/b', obj('b', 2), () => seen);
    seen = 1; // the cache now holds a's write
    recent.record('k/c', obj('c', 3), () => seen);
    expect(recent.size).toBe(2);
    expect(recent.newest('k/a', undefined, 0)).toBeUndefined();
    recent.record('k/d', obj('d', 4), () => seen); // over capacity: b, the oldest, goes
    expect(recent.size).toBe(2);
    expect(recent.newest('k/b', undefined, 0)).toBeUndefined();
    expect(recent.newest('k/d', undefined, 0)?.metadata.name).toBe('d');
  });
});
