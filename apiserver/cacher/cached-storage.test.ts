import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { Storage, WatchEvent } from '../../pkg/storage/types.ts';
import { CachedStorage } from './cached-storage.ts';

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

  it('serves watches from history and live changes, filtered by prefix', async () => {
    const { storage } = cached();
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

  it("answers a watch from before its and the storage's history with Expired", async () => {
    const inner = new MemoryStorage({ historySize: 5 });
    const storage = new CachedStorage({ inner, resourcePrefixOf, historySize: 5, maxPending: 3 });
    stores.push(storage);
    const first = await storage.create('/registry/configmaps/a/c0', cm('a', 'c0'));
    for (let i = 1; i <= 8; i++) await storage.create(`/registry/configmaps/a/c${i}`, cm('a', `c${i}`));
    await storage.list('/registry/configmaps/');
    const ac = new AbortController();
    await expect(take(storage.watch('/registry/configmaps/', Number(first.metadata.resourceVersion) - 1, ac.signal), 1)).rejects.toMatchObject({ code: 'Expired' });
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
