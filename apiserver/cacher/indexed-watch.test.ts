/** Watchers with a hint (a kubelet's `spec.nodeName=<node>` pod watch) get only their node's events, including transitions onto and off it; reads fall back to the storage when the cache lags. */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import type { Storage, WatchEvent } from '../../pkg/storage/types.ts';
import { watchHint } from '../watch/handler.ts';
import { CachedStorage } from './cached-storage.ts';
import { fieldValue } from './resource-cache.ts';

const stores: Storage[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const pod = (name: string, nodeName?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' }, spec: nodeName ? { nodeName } : {} }) as KubeObject;

async function take(iter: AsyncIterable<WatchEvent>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const e of iter) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

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

describe('a lagging cache', () => {
  it('reads from the storage when the cache has not seen this server’s write within the wait', async () => {
    const inner = new MemoryStorage();
    // The cache's storage watch never delivers anything: the cache stays at its first list.
    const stalled = Object.assign(Object.create(inner) as MemoryStorage, {
      watch: (_p: string, _r: number, signal: AbortSignal) => ({
        async *[Symbol.asyncIterator]() {
          await new Promise((resolve) => signal.addEventListener('abort', resolve));
        },
      }),
    });
    const storage = new CachedStorage({ inner: stalled, resourcePrefixOf: () => '/registry/pods/' });
    stores.push(storage);
    await storage.list('/registry/pods/');
    await storage.create('/registry/pods/ns/late', pod('late', 'n1'));
    const got = await storage.get('/registry/pods/ns/late');
    expect(got?.metadata.name).toBe('late');
    expect((await storage.list('/registry/pods/')).items.map((p) => p.metadata.name)).toEqual(['late']);
  }, 15_000);
});
