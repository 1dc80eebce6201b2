/**
 * The client against the real API server (in-process, memory storage, real HTTP).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, type ApiServer } from '../../apiserver/server.ts';
import { createBuiltinRegistry } from '../api/builtin.ts';
import { isConflict, isNotFound, isInvalid } from '../errors/index.ts';
import { MemoryStorage } from '../storage/index.ts';
import { createClient, type Client } from './index.ts';

let server: ApiServer;
let storage: MemoryStorage;
let client: Client;

beforeAll(async () => {
  storage = new MemoryStorage();
  server = await createApiServer({ storage, registry: createBuiltinRegistry() });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  client = createClient({ kubeconfig: url, qps: Infinity });
  await client.namespaces.create({ metadata: { name: 'itest' } });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await storage?.close();
});

describe('client against the real API server', () => {
  it('creates, reads, lists by selector, updates with conflicts, patches and deletes', async () => {
    const cms = client.configMaps.inNamespace('itest');
    const created = await cms.create({ metadata: { name: 'one', labels: { app: 'web' } }, data: { a: '1' } });
    expect(created.metadata.uid).toBeTruthy();
    await cms.create({ metadata: { name: 'two', labels: { app: 'db' } } });
    const got = await cms.get('one');
    expect(got.data).toEqual({ a: '1' });
    const list = await cms.list({ labelSelector: 'app in (web)' });
    expect(list.items.map((i) => i.metadata.name)).toEqual(['one']);
    expect(list.metadata.resourceVersion).toBeTruthy();

    const updated = await cms.update({ ...got, data: { a: '2' } });
    const stale = await cms.update({ ...got, data: { a: '3' } }).catch((e) => e);
    expect(isConflict(stale)).toBe(true);
    const patched = await cms.patch('one', { data: { b: 'x' } }, { type: 'merge' });
    expect(patched.data).toEqual({ a: '2', b: 'x' });
    expect(Number(patched.metadata.resourceVersion)).toBeGreaterThan(Number(updated.metadata.resourceVersion));

    await cms.delete('one');
    expect(isNotFound(await cms.get('one').catch((e) => e))).toBe(true);
  });

  it('surfaces validation failures as Invalid ApiErrors', async () => {
    const err = await client.configMaps.create({ metadata: { name: 'Bad_Name', namespace: 'itest' } }).catch((e) => e);
    expect(isInvalid(err)).toBe(true);
    expect(err.code).toBe(422);
  });

  it('watches from a list resourceVersion and sees later changes', async () => {
    const cms = client.configMaps.inNamespace('itest');
    const list = await cms.list();
    const ac = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const ev of cms.watch({ resourceVersion: list.metadata.resourceVersion, signal: ac.signal, allowWatchBookmarks: true })) {
        if (ev.type === 'BOOKMARK') continue;
        seen.push(`${ev.type} ${ev.object.metadata?.name}`);
        if (seen.length === 2) ac.abort();
      }
    })();
    await cms.create({ metadata: { name: 'watched' } });
    await cms.patch('watched', { data: { k: 'v' } }, { type: 'strategic' });
    await watching;
    expect(seen).toEqual(['ADDED watched', 'MODIFIED watched']);
  });
});
