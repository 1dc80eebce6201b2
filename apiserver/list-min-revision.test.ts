/**
 * How a list reads the storage. A list at resourceVersion "0" or "N" (NotOlderThan: every
 * informer's list) asks for any state not older than that (`minRevision`), so a watch cache
 * answers without catching up with later writes; a list without resourceVersion, or with Exact,
 * does not. A list with a selector and a limit reads pages that double while the selector matches
 * too few.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MemoryStorage } from '../pkg/storage/index.ts';
import type { ListOptions, ListResult } from '../pkg/storage/types.ts';
import { createTestRegistry } from './handlers/test-resources.ts';
import { createApiServer, type ApiServer } from './server.ts';

class RecordingStorage extends MemoryStorage {
  readonly lists: ListOptions[] = [];
  override list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    if (prefix.includes('/configmaps/')) this.lists.push(options);
    return super.list(prefix, options);
  }
}

let server: ApiServer;
let storage: RecordingStorage;

beforeEach(async () => {
  storage = new RecordingStorage();
  server = await createApiServer({ storage, registry: createTestRegistry() });
});

afterEach(async () => {
  await server.close();
  await storage.close();
});

it.each([
  ['?resourceVersion=0', 0, undefined],
  ['?resourceVersion=0&resourceVersionMatch=NotOlderThan', 0, undefined],
  ['?resourceVersion=1', 1, undefined],
  ['?resourceVersion=1&resourceVersionMatch=Exact', undefined, 1],
  ['', undefined, undefined],
  ['?limit=500', undefined, undefined],
])('GET configmaps%s → minRevision %s, revision %s', async (query, minRevision, revision) => {
  const res = await server.app.inject({ method: 'GET', url: `/api/v1/configmaps${query}` });
  expect(res.statusCode).toBe(200);
  expect(storage.lists).toHaveLength(1);
  expect(storage.lists[0]!.minRevision).toBe(minRevision);
  expect(storage.lists[0]!.revision).toBe(revision);
});

it('reads a selective list with a small limit in a few doubling pages, and continues after the last object it returned', async () => {
  const call = (method: 'GET' | 'POST', url: string, body?: unknown) => server.app.inject({ method, url, payload: body as object }).then((r) => ({ status: r.statusCode, body: r.json() }));
  expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } })).status).toBe(201);
  for (let i = 0; i < 300; i++) {
    const labels = i % 100 === 7 ? { pick: 'yes' } : {};
    expect((await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${String(i).padStart(3, '0')}`, labels } })).status).toBe(201);
  }
  storage.lists.length = 0;
  const first = await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=pick%3Dyes&limit=1');
  expect(first.body.items.map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual(['c007']);
  // Pages of 1, 2, 4, … would reach c007 on the 4th read; one object per read would take 8.
  expect(storage.lists.map((l) => l.limit)).toEqual([1, 2, 4, 8]);
  const names: string[] = ['c007'];
  let token = first.body.metadata.continue as string | undefined;
  while (token) {
    const next = await call('GET', `/api/v1/namespaces/default/configmaps?labelSelector=pick%3Dyes&limit=1&continue=${encodeURIComponent(token)}`);
    names.push(...next.body.items.map((c: { metadata: { name: string } }) => c.metadata.name));
    token = next.body.metadata.continue;
  }
  expect(names).toEqual(['c007', 'c107', 'c207']);
  // Without a selector a page is exactly what is still wanted.
  storage.lists.length = 0;
  const plain = await call('GET', '/api/v1/namespaces/default/configmaps?limit=2');
  expect(plain.body.items).toHaveLength(2);
  expect(plain.body.metadata.remainingItemCount).toBe(298);
  expect(storage.lists.map((l) => l.limit)).toEqual([2]);
});
