import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import type { DeepReadonly } from './deep-readonly.ts';
import { newLister } from './lister.ts';
import { NAMESPACE_INDEX, Store } from './store.ts';

const obj = (ns: string | undefined, name: string, labels?: Record<string, string>, node?: string): KubeObject => ({
  metadata: { namespace: ns, name, labels },
  spec: { nodeName: node },
});

const byNode = (o: DeepReadonly<KubeObject>) => {
  const n = (o.spec as { nodeName?: string } | undefined)?.nodeName;
  return n ? [n] : [];
};

describe('Store', () => {
  it('keys by ns/name and name, lists in key order', () => {
    const s = new Store<KubeObject>();
    s.put(obj('b', 'x'));
    s.put(obj('a', 'y'));
    s.put(obj(undefined, 'node1'));
    expect(s.listKeys()).toEqual(['a/y', 'b/x', 'node1']);
    expect(s.get('a/y')?.metadata.name).toBe('y');
  });

  it('keeps the namespace index and custom indexes in step with puts and removes', () => {
    const s = new Store<KubeObject>({ node: byNode });
    s.put(obj('a', 'p1', undefined, 'n1'));
    s.put(obj('a', 'p2', undefined, 'n2'));
    s.put(obj('b', 'p3', undefined, 'n1'));
    expect(s.byIndex(NAMESPACE_INDEX, 'a').map((o) => o.metadata.name)).toEqual(['p1', 'p2']);
    expect(s.byIndex('node', 'n1').map((o) => o.metadata.name)).toEqual(['p1', 'p3']);
    s.put(obj('a', 'p1', undefined, 'n2'));
    expect(s.byIndex('node', 'n1').map((o) => o.metadata.name)).toEqual(['p3']);
    expect(s.byIndex('node', 'n2').map((o) => o.metadata.name)).toEqual(['p1', 'p2']);
    s.remove('b/p3');
    expect(s.byIndex('node', 'n1')).toEqual([]);
    expect(() => s.byIndex('nope', 'x')).toThrow('index nope does not exist');
  });

  it('indexes existing objects when an indexer is added later; rejects another function under a used name', () => {
    const s = new Store<KubeObject>();
    s.put(obj('a', 'p1', undefined, 'n1'));
    s.addIndexers({ node: byNode });
    expect(s.byIndex('node', 'n1')).toHaveLength(1);
    expect(() => s.addIndexers({ node: (o) => byNode(o) })).toThrow('indexer conflict: node');
  });

  it('adding the same indexer function under the same name again is a no-op', () => {
    const s = new Store<KubeObject>();
    s.addIndexers({ node: byNode });
    s.put(obj('a', 'p1', undefined, 'n1'));
    s.addIndexers({ node: byNode });
    expect(s.byIndex('node', 'n1')).toHaveLength(1);
  });

  it('freezes what it stores', () => {
    const s = new Store<KubeObject>();
    const { obj: stored } = s.put(obj('a', 'p', { app: 'x' }));
    expect(Object.isFrozen(stored)).toBe(true);
    expect(() => {
      (stored.metadata.labels as Record<string, string>).app = 'y';
    }).toThrow(TypeError);
  });
});

describe('Lister', () => {
  const s = new Store<KubeObject>();
  s.put(obj('a', 'web1', { app: 'web' }));
  s.put(obj('a', 'db1', { app: 'db' }));
  s.put(obj('b', 'web2', { app: 'web', tier: 'front' }));
  const lister = newLister(s);

  it.each([
    [undefined, ['db1', 'web1', 'web2']],
    ['app=web', ['web1', 'web2']],
    ['app=web,tier', ['web2']],
    ['app notin (web)', ['db1']],
    ['', ['db1', 'web1', 'web2']],
  ])('list(%j) → %j', (selector, names) => {
    expect(lister.list(selector).map((o) => o.metadata.name)).toEqual(names);
  });

  it('lists one namespace and gets by key', () => {
    expect(lister.listInNamespace('a', 'app=web').map((o) => o.metadata.name)).toEqual(['web1']);
    expect(lister.get('b/web2')?.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(lister.get('b/none')).toBeUndefined();
  });

  it('throws on a bad selector', () => {
    expect(() => lister.list('a b')).toThrow(/unable to parse requirement/);
  });
});
