/**
 * Updates start from the watch cache's copy without waiting for it (`Storage.peek`, upstream's
 * GuaranteedUpdate with a cached existing object). The copy may be stale: these tests hand the
 * update path a stale copy on purpose and check that only fresh state decides the outcome.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { KubeObject } from '../pkg/api/meta.ts';
import { MemoryStorage } from '../pkg/storage/index.ts';
import { injectJson } from './handlers/test-inject.ts';
import { createTestRegistry } from './handlers/test-resources.ts';
import { createApiServer, type ApiServer } from './server.ts';

const KEY = '/registry/example.com/widgets/default/w';

/** MemoryStorage with a cache-like `peek` the test controls, and reads the test can hold up. */
class PeekableStorage extends MemoryStorage {
  readonly copies = new Map<string, KubeObject>();
  readonly peeked: string[] = [];
  /** Reads of the widget. */
  gets = 0;
  holdGets: Promise<void> | undefined;

  peek(key: string): KubeObject | undefined {
    this.peeked.push(key);
    return this.copies.get(key);
  }

  override async get(key: string): Promise<KubeObject | undefined> {
    if (key === KEY) {
      this.gets++;
      await this.holdGets;
    }
    return super.get(key);
  }

  /** Remembers the object at `key` as it is now: the "cache" keeps serving it after later writes. */
  async snapshot(key: string): Promise<void> {
    this.copies.set(key, Object.freeze((await super.get(key))!));
  }
}

let server: ApiServer;
let storage: PeekableStorage;

beforeEach(async () => {
  storage = new PeekableStorage();
  server = await createApiServer({ storage, registry: createTestRegistry() });
  await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const created = await call('POST', '/apis/example.com/v1/namespaces/default/widgets', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { color: 'red' } });
  expect(created.status).toBe(201);
});

afterEach(async () => {
  await server.close();
  await storage.close();
});

const call = (method: string, url: string, body?: unknown, contentType?: string) => injectJson(server, method, url, body, contentType);

const patchWidget = (patch: unknown) => call('PATCH', '/apis/example.com/v1/namespaces/default/widgets/w', patch, 'application/merge-patch+json');

it('writes from the current copy without reading the storage', async () => {
  await storage.snapshot(KEY);
  storage.gets = 0;
  let release!: () => void;
  storage.holdGets = new Promise((resolve) => (release = resolve));
  const res = await patchWidget({ spec: { replicas: 3 } });
  release();
  expect(res.status).toBe(200);
  expect(res.body.spec).toEqual({ color: 'red', replicas: 3 });
  expect(storage.peeked).toContain(KEY);
  expect(storage.gets).toBe(0);
});

it('redoes a patch from fresh state when the copy is stale (no lost update)', async () => {
  await storage.snapshot(KEY);
  expect((await patchWidget({ spec: { replicas: 3 } })).status).toBe(200); // the cache copy now trails
  const res = await patchWidget({ spec: { color: 'blue' } });
  expect(res.status).toBe(200);
  expect(res.body.spec).toEqual({ color: 'blue', replicas: 3 });
  expect((await storage.get(KEY))!.spec).toEqual({ color: 'blue', replicas: 3 });
});

it('writes a change the stale copy already shows (the no-op is checked against fresh state)', async () => {
  const before = await storage.get(KEY);
  expect((await patchWidget({ spec: { color: 'blue' } })).status).toBe(200);
  await storage.snapshot(KEY); // the copy says blue …
  expect((await patchWidget({ spec: { color: 'green' } })).status).toBe(200);
  storage.copies.set(KEY, Object.freeze({ ...(storage.copies.get(KEY) as KubeObject) })); // … while the store says green
  const res = await patchWidget({ spec: { color: 'blue' } });
  expect(res.status).toBe(200);
  expect((await storage.get(KEY))!.spec).toEqual({ color: 'blue', replicas: 1 });
  expect(Number(res.body.metadata.resourceVersion)).toBeGreaterThan(Number(before!.metadata.resourceVersion));
});

it('judges a resourceVersion precondition against fresh state', async () => {
  await storage.snapshot(KEY);
  const live = (await patchWidget({ spec: { replicas: 3 } })).body;
  // The body names the live resourceVersion, which the stale copy does not have: not a conflict.
  const put = await call('PUT', '/apis/example.com/v1/namespaces/default/widgets/w', { ...live, spec: { color: 'blue' } });
  expect(put.status).toBe(200);
  expect(put.body.spec).toEqual({ color: 'blue', replicas: 1 });
  // A resourceVersion that matches only the stale copy is the client's 409.
  const stale = storage.copies.get(KEY)!;
  const conflict = await call('PUT', '/apis/example.com/v1/namespaces/default/widgets/w', { ...stale, spec: { color: 'black' } });
  expect(conflict.status).toBe(409);
  expect(conflict.body.reason).toBe('Conflict');
  expect((await storage.get(KEY))!.spec).toEqual({ color: 'blue', replicas: 1 });
});

it('answers a dry run from fresh state', async () => {
  await storage.snapshot(KEY);
  expect((await patchWidget({ spec: { replicas: 3 } })).status).toBe(200);
  storage.peeked.length = 0;
  const res = await call('PATCH', '/apis/example.com/v1/namespaces/default/widgets/w?dryRun=All', { spec: { color: 'blue' } }, 'application/merge-patch+json');
  expect(res.status).toBe(200);
  expect(res.body.spec).toEqual({ color: 'blue', replicas: 3 });
  expect(storage.peeked).toEqual([]);
});
