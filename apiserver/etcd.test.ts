/** The API server over a real etcd (a throw-away process on free loopback ports). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcd3Storage, type Etcd3Storage } from '../pkg/storage/index.ts';
import { startEtcd, type EtcdProcess } from '../pkg/testing/etcd-process.ts';
import { createTestRegistry } from './handlers/test-resources.ts';
import { createApiServer, type ApiServer } from './server.ts';
import { createWatchCachedStorage } from './handlers/watch-cache.ts';
import type { Storage } from '../pkg/storage/types.ts';

let etcd: EtcdProcess;

beforeAll(async () => {
  etcd = await startEtcd();
});

afterAll(async () => {
  await etcd?.stop();
});

describe.each([
  ['directly', false],
  ['through the watch cache', true],
])('API server on etcd (%s)', (_how, cached) => {
  let storage: Etcd3Storage;
  let server: ApiServer;
  let base: string;
  let store: Storage;

  beforeAll(async () => {
    storage = createEtcd3Storage({ endpoints: [etcd.endpoint] });
    const registry = createTestRegistry();
    const keyPrefix = `/test-${cached ? 'cached' : 'direct'}`;
    store = cached ? createWatchCachedStorage({ inner: storage, registry, keyPrefix }) : storage;
    server = await createApiServer({ storage: store, registry, keyPrefix });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  async function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
    const res = await fetch(base + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': contentType } });
    return { status: res.status, body: await res.json() };
  }

  it('serves CRUD, CAS conflicts, paging and a watch from a list resourceVersion', async () => {
    expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })).status).toBe(201);
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } });
    expect(created.status).toBe(201);
    await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });

    const page = await call('GET', '/api/v1/namespaces/default/configmaps?limit=1');
    expect(page.body.items.map((i: any) => i.metadata.name)).toEqual(['a']);
    const rest = await call('GET', `/api/v1/namespaces/default/configmaps?limit=1&continue=${page.body.metadata.continue}`);
    expect(rest.body.items.map((i: any) => i.metadata.name)).toEqual(['b']);

    const updated = await call('PUT', '/api/v1/namespaces/default/configmaps/a', { ...created.body, data: { k: 'w' } });
    expect(updated.status).toBe(200);
    const stale = await call('PUT', '/api/v1/namespaces/default/configmaps/a', { ...created.body, data: { k: 'x' } });
    expect(stale.status).toBe(409);

    const list = await call('GET', '/api/v1/namespaces/default/configmaps');
    const controller = new AbortController();
    const res = await fetch(`${base}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.body.metadata.resourceVersion}&timeoutSeconds=10`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await call('DELETE', '/api/v1/namespaces/default/configmaps/b');
    const line = await firstLine(reader);
    controller.abort();
    expect(JSON.parse(line)).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'b' } } });
  });

  it.runIf(!cached)('answers 410 for a watch from a compacted revision', async () => {
    const first = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } });
    await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2' } });
    await storage.compact(await storage.currentRevision());
    const res = await fetch(`${base}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${first.body.metadata.resourceVersion}`);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ reason: 'Expired', code: 410 });
  });

  it.runIf(cached)('serves a watch from its watch cache after etcd compacted that revision, and answers 410 from before the cache began', async () => {
    const first = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } });
    await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2' } });
    await storage.compact(await storage.currentRevision());
    // Upstream's cacher keeps its own history: etcd's compaction does not expire it.
    const controller = new AbortController();
    const watch = await fetch(`${base}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${first.body.metadata.resourceVersion}`, { signal: controller.signal });
    expect(watch.status).toBe(200);
    const reader = watch.body!.getReader();
    const line = await firstLine(reader);
    controller.abort();
    expect(JSON.parse(line)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'c2' } } });
    // Revision 1 is older than the cache (started with the server, after the bootstrap writes).
    const res = await fetch(`${base}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1`);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ reason: 'Expired', code: 410, message: expect.stringMatching(/^too old resource version: 1 \(\d+\)$/) });
  });
});

describe('API server on an etcd that refuses a request', () => {
  let small: EtcdProcess;
  let server: ApiServer;
  let store: Storage;

  beforeAll(async () => {
    small = await startEtcd({ extraArgs: ['--max-request-bytes', '65536'] });
    const registry = createTestRegistry();
    store = createWatchCachedStorage({ inner: createEtcd3Storage({ endpoints: [small.endpoint] }), registry, keyPrefix: '/small' });
    server = await createApiServer({ storage: store, registry, keyPrefix: '/small' });
  });

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await small?.stop();
  });

  it("answers with etcd's own text, 500 and no reason, as upstream does with an error that is not a Status", async () => {
    const base = await server.listen({ host: '127.0.0.1', port: 0 });
    await fetch(`${base}/api/v1/namespaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }) });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { k: 'v'.repeat(100_000) } };
    const res = await fetch(`${base}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cm) });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request is too large', code: 500 });
    expect((await fetch(`${base}/api/v1/namespaces/default/configmaps/big`)).status).toBe(404);
  });
});

/** The first line of a streamed body (waits up to 8 s; '' when none came). */
async function firstLine(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let text = '';
  const deadline = Date.now() + 8000;
  while (!text.includes('\n') && Date.now() < deadline) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
  }
  return text.split('\n')[0]!;
}
