/**
 * A list at resourceVersion "0" (every informer's first list) asks the storage for any state
 * (`anyRevision`), so a watch cache answers without catching up; other lists do not.
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
  ['?resourceVersion=0', true],
  ['?resourceVersion=0&resourceVersionMatch=NotOlderThan', true],
  ['', false],
  ['?limit=500', false],
])('GET configmaps%s → anyRevision %s', async (query, want) => {
  const res = await server.app.inject({ method: 'GET', url: `/api/v1/configmaps${query}` });
  expect(res.statusCode).toBe(200);
  expect(storage.lists).toHaveLength(1);
  expect(storage.lists[0]!.anyRevision).toBe(want);
});
