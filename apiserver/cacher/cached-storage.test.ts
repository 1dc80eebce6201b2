import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { Storage, WatchEvent } from '../../pkg/storage/types.ts';
import { CachedStorage } from './cached-storage.ts';
import { fieldValue } from './resource-cache.ts';
import { watchHint } from '../watch/handler.ts';

const resourcePrefixOf = (key: string) => {
  const m = /^(\/registry\/(?:apps\/)?[a-z]+\/)/.exec(key);
  return m?.[1];
};

function cm(ns: string, name: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data };
}

const stores: Storage[] = [];
function cached(): { inner: MemoryStorage; storage: CachedStorage } {
  const inner = new MemoryStorage();
  const storage = new CachedStorage({ inner, resourcePrefixOf, historySize: 5, maxPending: 3 });
  stores.push(storage);
  return { inner, storage };
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function take(iter: AsyncIterable<WatchEvent>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const e of iter) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

describe('CachedStorage', () => {
  it('reads its own writes from the cache, frozen', async () => {
    const { storage } = cached();
    await storage.create('/registry/configmaps/a/one', cm('a', 'one', { k: 'v' }));
    const got = await storage.get('/registry/configmaps/a/one');
    expect(got?.data).toEqual({ k: 'v' });
    expect(Object.isFrozen(got)).toBe(true);
    await storage.update('/registry/configmaps/a/one', cm('a', 'one', { k: 'v2' }));
    expect((await storage.get('/registry/configmaps/a/one'))?.data).toEqual({ k: 'v2' });
  });

  it('lists by namespace prefix with paging in key order', async () => {
    const { storage } = cached();
    for (const [ns, name] of [['b', 'x'], ['a', 'z'], ['a', 'y'], ['ab', 'w']]) await storage.create(`/registry/configmaps/${ns}/${name}`, cm(ns, name));
    const page1 = await storage.list('/registry/configmaps/a/', { limit: 1 });
    expect(page1.items.map((i) => i.metadata.name)).toEqual(['y']);
    expect(page1.remaining).toBe(1);
    const page2 = await storage.list('/registry/configmaps/a/', { limit: 1, startAfter: page1.nextKey, revision: page1.revision });
    expect(page2.items.map((i) => i.metadata.name)).toEqual(['z']);
    expect(page2.nextKey).toBeUndefined();
    expect((await storage.list('/registry/configmaps/')).items).toHaveLength(4);
    expect(await storage.count('/registry/configmaps/a/')).toBe(2);
  });

  it('sees writes made directly to the inner storage (another API server) through its watch', async () => {
    const { inner, storage } = cached();
    await storage.list('/registry/configmaps/');
    await inner.create('/registry/configmaps/a/remote', cm('a', 'remote'));
    await expect.poll(async () => (await storage.get('/registry/configmaps/a/remote'))?.metadata.name).toBe('remote');
  });

  it('with sharedStorage, reads at once what another API server wrote to the same storage', async () => {
    const inner = new MemoryStorage();
    const a = new CachedStorage({ inner, resourcePrefixOf, sharedStorage: true });
    // B's cache hears of every change 20 ms late.
    const b = new CachedStorage({ inner: lagging(inner, 20), resourcePrefixOf, sharedStorage: true });
    stores.push(a, b);
    await b.warm(['/registry/configmaps/']);
    for (let i = 0; i < 5; i++) {
      const written = await a.create(`/registry/configmaps/a/c${i}`, cm('a', `c${i}`));
      expect(await b.get(`/registry/configmaps/a/c${i}`)).toEqual(written);
      expect((await b.list('/registry/configmaps/a/')).items).toHaveLength(i + 1);
    }
  });

  it('serves watches from history and live changes, filtered by prefix', async () => {
    const { storage } = cached();
    await storage.warm(['/registry/configmaps/']);
    const first = await storage.create('/registry/configmaps/a/one', cm('a', 'one'));
    await storage.create('/registry/configmaps/b/two', cm('b', 'two'));
    await storage.update('/registry/configmaps/a/one', cm('a', 'one', { x: '1' }));
    const ac = new AbortController();
    const events = take(storage.watch('/registry/configmaps/a/', Number(first.metadata.resourceVersion), ac.signal), 2);
    await storage.delete('/registry/configmaps/a/one');
    const got = await events;
    ac.abort();
    expect(got.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
  });

  it("answers a watch from before its history with upstream's Expired, without asking the storage, even while the storage has it", async () => {
    const inner = new MemoryStorage();
    const storage = new CachedStorage({ inner, resourcePrefixOf, historySize: 5, maxPending: 3 });
    stores.push(storage);
    const first = await storage.create('/registry/configmaps/a/c0', cm('a', 'c0'));
    for (let i = 1; i <= 8; i++) await storage.create(`/registry/configmaps/a/c${i}`, cm('a', `c${i}`));
    await storage.warm(['/registry/configmaps/']);
    for (let i = 9; i <= 16; i++) await storage.create(`/registry/configmaps/a/c${i}`, cm('a', `c${i}`));
    const from = Number(first.metadata.resourceVersion);
    const watchInner = vi.spyOn(inner, 'watch');
    const listInner = vi.spyOn(inner, 'list');
    const ac = new AbortController();
    const oldest = from + 8; // the revision the cache started at (it keeps every event of the last 75 s)
    const expired = { code: 'Expired', message: `too old resource version: ${from} (${oldest})`, compactedRevision: oldest };
    await expect(storage.checkWatchable('/registry/configmaps/', from)).rejects.toMatchObject(expired);
    await expect(take(storage.watch('/registry/configmaps/', from, ac.signal), 1)).rejects.toMatchObject(expired);
    // The oldest revision it still has is served.
    await expect(storage.checkWatchable('/registry/configmaps/', oldest)).resolves.toBeUndefined();
    const tail = take(storage.watch('/registry/configmaps/', oldest, ac.signal), 8);
    expect((await tail).map((e) => e.object.metadata.name)).toEqual(['c9', 'c10', 'c11', 'c12', 'c13', 'c14', 'c15', 'c16']);
    ac.abort();
    expect(watchInner).not.toHaveBeenCalled();
    expect(listInner).not.toHaveBeenCalled();
  });

  it('cuts off a watcher that falls too far behind instead of buffering without bound', async () => {
    const { storage } = cached();
    const start = await storage.create('/registry/configmaps/a/s', cm('a', 's'));
    const ac = new AbortController();
    const iter = storage.watch('/registry/configmaps/', Number(start.metadata.resourceVersion), ac.signal)[Symbol.asyncIterator]();
    const firstNext = iter.next();
    await storage.create('/registry/configmaps/a/e0', cm('a', 'e0'));
    await firstNext;
    for (let i = 1; i <= 6; i++) await storage.create(`/registry/configmaps/a/e${i}`, cm('a', `e${i}`));
    await expect.poll(async () => {
      try {
        for (let i = 0; i < 10; i++) await iter.next();
        return 'drained';
      } catch (err) {
        return (err as { code?: string }).code;
      }
    }).toBe('Expired');
    ac.abort();
  });
});

// Watchers with a hint (a kubelet's `spec.nodeName=<node>` pod watch) get only their node's events,
// including transitions onto and off it; reads fall back to the storage when the cache lags.
const pod = (name: string, nodeName?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' }, spec: nodeName ? { nodeName } : {} }) as KubeObject;

describe('indexed watchers', () => {
  it('deliver only events whose object or previous object is on the hinted node', async () => {
    const inner = new MemoryStorage();
    const storage = new CachedStorage({ inner, resourcePrefixOf: () => '/registry/pods/' });
    stores.push(storage);
    await storage.create('/registry/pods/ns/warm', pod('warm'));
    const from = await storage.currentRevision();
    const ac = new AbortController();
    const onA = take(storage.watch('/registry/pods/', from, ac.signal, { field: 'spec.nodeName', value: 'node-a' }), 2);
    const all = take(storage.watch('/registry/pods/', from, ac.signal), 5);
    await new Promise((r) => setTimeout(r, 20));
    await storage.create('/registry/pods/ns/p1', pod('p1'));
    await storage.update('/registry/pods/ns/p1', pod('p1', 'node-a')); // bound onto node-a
    await storage.create('/registry/pods/ns/p2', pod('p2', 'node-b'));
    await storage.update('/registry/pods/ns/p2', pod('p2', 'node-b'));
    await storage.delete('/registry/pods/ns/p1');
    const seen = await onA;
    // p1's creation (no node) and both p2 events (node-b) never reach the node-a watcher.
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['MODIFIED p1', 'DELETED p1']);
    expect((await all).map((e) => e.object.metadata.name)).toEqual(['p1', 'p1', 'p2', 'p2', 'p1']);
    ac.abort();
  });
});

describe('fieldValue', () => {
  it.each([
    [pod('x', 'n1'), 'spec.nodeName', 'n1'],
    [pod('x'), 'spec.nodeName', undefined],
    [pod('x'), 'metadata.name', 'x'],
    [pod('x'), 'metadata.name.more', undefined],
  ])('%j %s', (obj, path, value) => expect(fieldValue(obj, path)).toBe(value));
});

describe('watchHint', () => {
  it.each([
    ['pods', '', 'spec.nodeName=n1', { field: 'spec.nodeName', value: 'n1' }],
    ['pods', '', 'metadata.namespace=x,spec.nodeName==n2', { field: 'spec.nodeName', value: 'n2' }],
    ['pods', '', 'spec.nodeName=', undefined],
    ['pods', '', 'spec.nodeName!=n1', undefined],
    ['pods', '', undefined, undefined],
    ['pods', '', 'spec.nodeName=a\\,b', undefined],
    ['events', '', 'spec.nodeName=n1', undefined],
    ['pods', 'example.com', 'spec.nodeName=n1', undefined],
  ])('%s.%s %s', (plural, group, selector, hint) => expect(watchHint(plural, group, selector)).toEqual(hint));
});

/** `inner` whose watches deliver each event `ms` late (a cache lagging behind the storage). */
function lagging(inner: MemoryStorage, ms: number): MemoryStorage {
  return Object.assign(Object.create(inner) as MemoryStorage, {
    watch: (prefix: string, from: number, signal: AbortSignal) => ({
      async *[Symbol.asyncIterator]() {
        for await (const event of inner.watch(prefix, from, signal)) {
          await new Promise((resolve) => setTimeout(resolve, ms));
          yield event;
        }
      },
    }),
  });
}

/**
 * A pods cache over a storage whose watch never delivers anything: the cache stays at its first
 * list. `storageLists()` counts the lists the storage answered.
 */
function stalledCache(): { storage: CachedStorage; storageLists: () => number; inner: MemoryStorage } {
  const inner = new MemoryStorage();
  let lists = 0;
  const stalled = Object.assign(Object.create(inner) as MemoryStorage, {
    watch: (_p: string, _r: number, signal: AbortSignal) => ({
      async *[Symbol.asyncIterator]() {
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
    }),
    list: (prefix: string, options?: Parameters<MemoryStorage['list']>[1]) => (lists++, inner.list(prefix, options)),
  });
  const storage = new CachedStorage({ inner: stalled, resourcePrefixOf: () => '/registry/pods/' });
  stores.push(storage);
  return { storage, storageLists: () => lists, inner };
}

describe('a lagging cache', () => {
  it('reads from the storage when the cache has not seen this server’s write within the wait', async () => {
    const { storage } = stalledCache();
    await storage.list('/registry/pods/');
    await storage.create('/registry/pods/ns/late', pod('late', 'n1'));
    const got = await storage.get('/registry/pods/ns/late');
    expect(got?.metadata.name).toBe('late');
    expect((await storage.list('/registry/pods/')).items.map((p) => p.metadata.name)).toEqual(['late']);
  }, 15_000);

  it('answers a list that takes any state (resourceVersion "0") from the cache without reading the storage', async () => {
    const { storage, storageLists } = stalledCache();
    await storage.create('/registry/pods/ns/early', pod('early', 'n1'));
    await storage.list('/registry/pods/', { minRevision: 0 }); // the cache lists once, then stalls
    const listsAfterStart = storageLists();
    await storage.create('/registry/pods/ns/late', pod('late', 'n1'));
    const any = await storage.list('/registry/pods/', { minRevision: 0 });
    expect(any.items.map((p) => p.metadata.name)).toEqual(['early']);
    expect(storageLists()).toBe(listsAfterStart);
    // A consistent list still sees this server's write (from the storage, after the wait).
    expect((await storage.list('/registry/pods/')).items.map((p) => p.metadata.name)).toEqual(['early', 'late']);
    expect(storageLists()).toBe(listsAfterStart + 1);
  }, 15_000);

  it('peeks at what it holds and reads uncached from the storage, neither waiting for the cache', async () => {
    const { storage, inner } = stalledCache();
    await storage.create('/registry/pods/ns/p', pod('p', 'n1'));
    await storage.list('/registry/pods/'); // the cache lists once, holding p on n1, then stalls
    await inner.update('/registry/pods/ns/p', pod('p', 'n2')); // another API server's write
    const started = Date.now();
    expect((storage.peek('/registry/pods/ns/p')?.spec as { nodeName: string }).nodeName).toBe('n1');
    expect(((await storage.getUncached('/registry/pods/ns/p'))?.spec as { nodeName: string }).nodeName).toBe('n2');
    expect(Date.now() - started).toBeLessThan(1000); // a cache wait would take its full 3 s here
  }, 15_000);

  it('answers a get that takes any state (a GET at resourceVersion "0") from the cache without waiting', async () => {
    const { storage } = stalledCache();
    await storage.create('/registry/pods/ns/p', pod('p', 'n1'));
    await storage.list('/registry/pods/'); // the cache lists once, holding p on n1, then stalls
    await storage.update('/registry/pods/ns/p', pod('p', 'n2'));
    const started = Date.now();
    expect(((await storage.get('/registry/pods/ns/p', { minRevision: 0 }))?.spec as { nodeName: string }).nodeName).toBe('n1');
    expect(Date.now() - started).toBeLessThan(1000); // a consistent get waits up to 3 s here
    expect(((await storage.get('/registry/pods/ns/p'))?.spec as { nodeName: string }).nodeName).toBe('n2');
  }, 15_000);

  it('peeks at its own writes the cache has not seen yet: created, updated, then deleted', async () => {
    const { storage } = stalledCache();
    await storage.list('/registry/pods/'); // the cache starts empty and stalls
    const created = await storage.create('/registry/pods/ns/p', pod('p', 'n1'));
    expect(storage.peek('/registry/pods/ns/p')).toEqual(created);
    const updated = await storage.guaranteedUpdate('/registry/pods/ns/p', (cur) => ({ ...cur!, spec: { nodeName: 'n2' } }));
    const peeked = storage.peek('/registry/pods/ns/p');
    expect(peeked).toEqual(updated);
    expect(peeked?.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
    expect(peeked).not.toBe(updated); // a private copy, frozen as the cache's objects are
    expect(Object.isFrozen(peeked?.spec)).toBe(true);
    await storage.delete('/registry/pods/ns/p');
    expect(storage.peek('/registry/pods/ns/p')).toBeUndefined();
  }, 15_000);
});

describe('peek after this server wrote', () => {
  it('gives the cache’s copy again once the cache has caught up with the write', async () => {
    const { storage } = cached();
    const written = await storage.create('/registry/configmaps/a/one', cm('a', 'one', { k: 'v' }));
    await storage.get('/registry/configmaps/a/one'); // waits until the cache has the write
    const fromCache = await storage.get('/registry/configmaps/a/one');
    expect(storage.peek('/registry/configmaps/a/one')).toBe(fromCache);
    expect(fromCache?.metadata.resourceVersion).toBe(written.metadata.resourceVersion);
  });
});
