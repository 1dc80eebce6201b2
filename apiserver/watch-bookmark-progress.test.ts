/**
 * Bookmarks of a watch served by the watch cache carry the cache's revision while the watch has
 * nothing undelivered (upstream's cacher), so a watch that sees few events — a kubelet's, for its
 * node — resumes from a recent revision, inside the cache's history.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MemoryStorage } from '../pkg/storage/index.ts';
import type { Storage } from '../pkg/storage/types.ts';
import { createTestRegistry } from './handlers/test-resources.ts';
import { createWatchCachedStorage } from './handlers/watch-cache.ts';
import { createApiServer, type ApiServer } from './server.ts';

let server: ApiServer;
let storage: Storage;
let base: string;
const aborts: AbortController[] = [];

beforeEach(async () => {
  const registry = createTestRegistry();
  storage = createWatchCachedStorage({ inner: new MemoryStorage(), registry, keyPrefix: '/registry' });
  server = await createApiServer({ storage, registry, watch: { bookmarkIntervalMs: 50 } });
  base = await server.listen({ host: '127.0.0.1', port: 0 });
  expect((await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })).status).toBe(201);
});

afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort();
  await server.close();
  await storage.close();
});

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: await res.json() };
}

const pod = (name: string, nodeName: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'i' }] } });

/** The events of a watch, line by line. */
async function* events(path: string): AsyncGenerator<any> {
  const abort = new AbortController();
  aborts.push(abort);
  const res = await fetch(base + path, { signal: abort.signal });
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      yield JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  }
}

it('bookmarks a node-filtered watch at the revision of other nodes\' pods, and a watch resumed there misses nothing', async () => {
  // A list starts the pods cache, so the watches below are served from its history.
  expect((await fetch(`${base}/api/v1/pods`)).status).toBe(200);
  const first = await post('/api/v1/namespaces/default/pods', pod('mine-1', 'n1'));
  const from = first.body.metadata.resourceVersion as string;
  const mine = events(`/api/v1/pods?watch=true&allowWatchBookmarks=true&fieldSelector=spec.nodeName%3Dn1&resourceVersion=${from}`);
  let last = '';
  for (let i = 0; i < 5; i++) last = (await post('/api/v1/namespaces/default/pods', pod(`other-${i}`, 'n2'))).body.metadata.resourceVersion;
  // The watch delivered nothing since `from`; its bookmarks move on to the other pods' revision.
  let bookmarked = from;
  for await (const ev of mine) {
    expect(ev.type).toBe('BOOKMARK');
    bookmarked = ev.object.metadata.resourceVersion;
    if (Number(bookmarked) >= Number(last)) break;
  }
  expect(Number(bookmarked)).toBeGreaterThanOrEqual(Number(last));
  // Resuming from the bookmark: the next pod of n1 arrives, nothing of n2 does.
  const resumed = events(`/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dn1&resourceVersion=${bookmarked}`);
  await post('/api/v1/namespaces/default/pods', pod('mine-2', 'n1'));
  const next = await resumed.next();
  expect(next.value.type).toBe('ADDED');
  expect(next.value.object.metadata.name).toBe('mine-2');
});

it('bookmarks a watch 2 s before its timeout, long before the next periodic bookmark', async () => {
  await server.close();
  server = await createApiServer({ storage, registry: createTestRegistry(), watch: { bookmarkIntervalMs: 600_000 } });
  base = await server.listen({ host: '127.0.0.1', port: 0 });
  expect((await fetch(`${base}/api/v1/pods`)).status).toBe(200);
  const from = (await post('/api/v1/namespaces/default/pods', pod('mine-1', 'n1'))).body.metadata.resourceVersion as string;
  const started = Date.now();
  const watch = events(`/api/v1/pods?watch=true&allowWatchBookmarks=true&timeoutSeconds=3&fieldSelector=spec.nodeName%3Dn1&resourceVersion=${from}`);
  const first = watch.next();
  let last = '';
  for (let i = 0; i < 3; i++) last = (await post('/api/v1/namespaces/default/pods', pod(`other-${i}`, 'n2'))).body.metadata.resourceVersion;
  const bookmark = (await first).value;
  const at = Date.now() - started;
  expect(bookmark.type).toBe('BOOKMARK');
  expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(last));
  expect(at).toBeGreaterThanOrEqual(500);
  expect(at).toBeLessThan(2_900);
  // Then the watch ends at its timeout with nothing else.
  expect((await watch.next()).done).toBe(true);
});
