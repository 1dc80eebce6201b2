/**
 * The write paths over the watch cache, whose reads return shared frozen objects: nothing the
 * server does may mutate what storage hands it.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MemoryStorage } from '../pkg/storage/index.ts';
import type { Storage } from '../pkg/storage/types.ts';
import { injectJson } from './handlers/test-inject.ts';
import { createTestRegistry } from './handlers/test-resources.ts';
import { createWatchCachedStorage } from './handlers/watch-cache.ts';
import { createApiServer, type ApiServer } from './server.ts';

let server: ApiServer;
let storage: Storage;

beforeEach(async () => {
  const registry = createTestRegistry();
  storage = createWatchCachedStorage({ inner: new MemoryStorage(), registry, keyPrefix: '/registry' });
  server = await createApiServer({ storage, registry });
});

afterEach(async () => {
  await server.close();
  await storage.close();
});

const call = (method: string, url: string, body?: unknown, contentType?: string) => injectJson(server, method, url, body, contentType);

it('creates, updates, patches, scales, binds and deletes through the cache', async () => {
  expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })).status).toBe(201);
  const w = await call('POST', '/apis/example.com/v1/namespaces/default/widgets', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', finalizers: ['x/y'] }, spec: { replicas: 1 } });
  expect(w.status).toBe(201);
  const status = await call('PUT', '/apis/example.com/v1/namespaces/default/widgets/w/status', { ...w.body, status: { replicas: 1 } });
  expect(status.status).toBe(200);
  const put = await call('PUT', '/apis/example.com/v1/namespaces/default/widgets/w', { ...status.body, spec: { replicas: 2 } });
  expect(put.status).toBe(200);
  expect(put.body.status).toEqual({ replicas: 1 });
  expect((await call('PATCH', '/apis/example.com/v1/namespaces/default/widgets/w', { spec: { color: 'red' } }, 'application/merge-patch+json')).status).toBe(200);
  expect((await call('PATCH', '/apis/example.com/v1/namespaces/default/widgets/w/scale', { spec: { replicas: 4 } }, 'application/merge-patch+json')).body.spec.replicas).toBe(4);
  const del = await call('DELETE', '/apis/example.com/v1/namespaces/default/widgets/w');
  expect(del.body.metadata.deletionTimestamp).toBeDefined();
  expect((await call('PATCH', '/apis/example.com/v1/namespaces/default/widgets/w', { metadata: { finalizers: null } }, 'application/merge-patch+json')).status).toBe(200);
  expect((await call('GET', '/apis/example.com/v1/namespaces/default/widgets/w')).status).toBe(404);

  await call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } });
  expect((await call('POST', '/api/v1/namespaces/default/pods/p/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n' } })).status).toBe(201);
  expect((await call('DELETE', '/api/v1/namespaces/default/pods/p')).body.metadata.deletionGracePeriodSeconds).toBe(30);
  expect((await call('DELETE', '/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3Dn', { gracePeriodSeconds: 0 })).body.items).toHaveLength(1);
  const ns = await call('DELETE', '/api/v1/namespaces/default');
  expect(ns.status).toBe(403);
});

const POD = '/registry/pods/default/p';

/** Storage whose watch delivers nothing after the cache's first list; reads of the pod are counted. */
class StalledStorage extends MemoryStorage {
  podReads = 0;
  override watch(_prefix: string, _from: number, signal: AbortSignal) {
    return { async *[Symbol.asyncIterator]() { await new Promise((resolve) => signal.addEventListener('abort', resolve)); } } as unknown as ReturnType<MemoryStorage['watch']>;
  }
  override async get(key: string) {
    if (key === POD) this.podReads++;
    return super.get(key);
  }
}

/** Replaces the server with one over a watch cache whose watch stalls, holding the namespace and pod `p`. */
async function serveOverStalledWatch(): Promise<StalledStorage> {
  await server.close();
  await storage.close();
  const inner = new StalledStorage();
  const registry = createTestRegistry();
  storage = createWatchCachedStorage({ inner, registry, keyPrefix: '/registry' });
  server = await createApiServer({ storage, registry });
  await inner.create('/registry/namespaces/default', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  await inner.create(POD, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'c' }] } });
  return inner;
}

it('starts a second status patch from its own first write while the watch has not delivered it (no storage read)', async () => {
  const inner = await serveOverStalledWatch();
  const status = (phase: string) => call('PATCH', '/api/v1/namespaces/default/pods/p/status', { status: { phase } }, 'application/merge-patch+json');
  expect((await status('Pending')).status).toBe(200); // the cache lists the pod here, then hears nothing more
  const readsBefore = inner.podReads;
  const second = await status('Running');
  expect(second.status).toBe(200);
  expect(second.body.status.phase).toBe('Running');
  expect(inner.podReads).toBe(readsBefore);
  expect((await inner.get(POD))?.status).toEqual({ phase: 'Running' });
});

it('answers GET at resourceVersion "0" from the cache as it is, a plain GET with this server’s writes', async () => {
  await serveOverStalledWatch();
  expect((await call('GET', '/api/v1/namespaces/default/pods/p?resourceVersion=0')).status).toBe(200); // the cache lists the pod, then hears nothing more
  expect((await call('PATCH', '/api/v1/namespaces/default/pods/p/status', { status: { phase: 'Running' } }, 'application/merge-patch+json')).status).toBe(200);
  const started = Date.now();
  const any = await call('GET', '/api/v1/namespaces/default/pods/p?resourceVersion=0');
  expect(Date.now() - started).toBeLessThan(1000); // no wait for the cache to see the PATCH
  expect(any.body.status).toBeUndefined();
  expect((await call('GET', '/api/v1/namespaces/default/pods/p')).body.status).toEqual({ phase: 'Running' });
  const bad = await call('GET', '/api/v1/namespaces/default/pods/p?resourceVersion=abc');
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
}, 15_000);

it('answers a read at a resourceVersion the store has not reached with 504 "Too large resource version", as upstream', async () => {
  expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })).status).toBe(201);
  const created = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  const current = Number(created.body.metadata.resourceVersion);
  const future = current + 1000;
  const tooLarge = (requested: number) => ({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code: 504,
    reason: 'Timeout',
    message: `Timeout: Too large resource version: ${requested}, current: ${current}`,
    details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
  });
  // The object exists, but not at a revision that does not exist yet: the cache waits (3 s, as upstream's), then the storage says so.
  const get = await call('GET', `/api/v1/namespaces/default/configmaps/c?resourceVersion=${future}`);
  expect(get.status).toBe(504);
  expect(get.body).toMatchObject(tooLarge(future));
  const list = await call('GET', `/api/v1/namespaces/default/configmaps?resourceVersion=${future}`);
  expect(list.status).toBe(504);
  expect(list.body).toMatchObject(tooLarge(future));
  // At the current revision both answer.
  expect((await call('GET', `/api/v1/namespaces/default/configmaps/c?resourceVersion=${current}`)).status).toBe(200);
  expect((await call('GET', `/api/v1/namespaces/default/configmaps?resourceVersion=${current}`)).body.items).toHaveLength(1);
}, 15_000);
