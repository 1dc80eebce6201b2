/**
 * A list at resourceVersion "0" or "N" (NotOlderThan: every informer's list) asks the storage for
 * any state not older than that (`minRevision`), so a watch cache answers without catching up with
 * later writes; a list without resourceVersion, or with Exact, does not.
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
