/**
 * Informers against the real API server (in-process, memory storage, real HTTP), and the
 * reflector's wire behaviour (query parameters, HTTP 410 relist) against a scripted server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, type ApiServer } from '../../apiserver/server.ts';
import { createBuiltinRegistry } from '../api/builtin.ts';
import type { KubeObject } from '../api/meta.ts';
import { BUILTIN_COORDINATES, createClient, type Client } from '../client/index.ts';
import { sendJson, startTestServer, statusBody } from '../client/test-server.ts';
import { MemoryStorage } from '../storage/index.ts';
import { until } from './fake-lister-watcher.ts';
import { SharedInformerFactory } from './factory.ts';
import { DeletedFinalStateUnknown, deletedObject } from './shared-informer.ts';

let server: ApiServer;
let storage: MemoryStorage;
let client: Client;

beforeAll(async () => {
  storage = new MemoryStorage();
  server = await createApiServer({ storage, registry: createBuiltinRegistry() });
  client = createClient({ kubeconfig: await server.listen({ host: '127.0.0.1', port: 0 }), qps: Infinity });
  await client.namespaces.create({ metadata: { name: 'inf' } });
  await client.namespaces.create({ metadata: { name: 'other' } });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await storage?.close();
});

describe('informers against the real API server', () => {
  it('syncs existing objects, follows creates/updates/deletes, scopes by namespace and selector', async () => {
    const cms = client.configMaps.inNamespace('inf');
    await cms.create({ metadata: { name: 'pre', labels: { app: 'x' } } });
    await client.configMaps.create({ metadata: { name: 'elsewhere', namespace: 'other', labels: { app: 'x' } } });
    const factory = new SharedInformerFactory(client);
    const informer = factory.forResource(BUILTIN_COORDINATES.configMaps, { namespace: 'inf', labelSelector: 'app=x' });
    expect(factory.forResource(BUILTIN_COORDINATES.configMaps, { namespace: 'inf', labelSelector: 'app=x' })).toBe(informer);
    const log: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => log.push(`add ${o.metadata.name}`),
      onUpdate: (a, b) => a.metadata.resourceVersion !== b.metadata.resourceVersion && log.push(`update ${b.metadata.name}`),
      onDelete: (o) => log.push(`delete ${deletedObject(o).metadata.name}${o instanceof DeletedFinalStateUnknown ? ' (unknown)' : ''}`),
    });
    factory.start();
    expect(await factory.waitForCacheSync()).toBe(true);
    expect(informer.lister().list().map((o) => o.metadata.name)).toEqual(['pre']);

    await cms.create({ metadata: { name: 'new', labels: { app: 'x' } } });
    await cms.create({ metadata: { name: 'unlabelled' } });
    await cms.patch('new', { data: { k: 'v' } }, { type: 'merge' });
    await cms.delete('pre');
    await until(() => log.length === 4, 'informer events');
    expect(log).toEqual(['add pre', 'add new', 'update new', 'delete pre']);
    expect(informer.lister().get('inf/new')?.data).toEqual({ k: 'v' });
    expect(informer.lister().listInNamespace('inf').map((o) => o.metadata.name)).toEqual(['new']);
    await factory.shutdown();
  });
});

describe('reflector on the wire', () => {
  it('watches with allowWatchBookmarks and timeoutSeconds, and relists with resourceVersion="" after HTTP 410', async () => {
    const fake = await startTestServer();
    const fakeClient = createClient({ kubeconfig: fake.url, qps: Infinity, maxRetries: 0 });
    let lists = 0;
    let watches = 0;
    fake.handle((req, res) => {
      if (req.query.get('watch') !== 'true') {
        lists++;
        const rv = lists === 1 ? '10' : '50';
        const items: KubeObject[] = lists === 1 ? [{ metadata: { name: 'a', namespace: 'd', resourceVersion: '9' } }] : [];
        sendJson(res, 200, { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: rv }, items });
        return;
      }
      watches++;
      if (watches === 1) {
        sendJson(res, 410, statusBody(410, 'Expired', 'too old resource version: 10 (40)'));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '55' } } }) + '\n');
    });
    const factory = new SharedInformerFactory(fakeClient);
    const informer = factory.forResource(BUILTIN_COORDINATES.configMaps);
    const deletes: string[] = [];
    informer.addEventHandler({ onDelete: (o) => deletes.push(o instanceof DeletedFinalStateUnknown ? o.key : 'known') });
    factory.start();
    await until(() => informer.lastSyncResourceVersion() === '55', 'bookmark after relist');
    await factory.shutdown();
    await fakeClient.close();
    await fake.close();

    const urls = fake.requests.map((r) => r.url);
    expect(urls[0]).toBe('/api/v1/configmaps?resourceVersion=0');
    expect(fake.requests[1].query.get('resourceVersion')).toBe('10');
    expect(fake.requests[1].query.get('allowWatchBookmarks')).toBe('true');
    const timeout = Number(fake.requests[1].query.get('timeoutSeconds'));
    expect(timeout).toBeGreaterThanOrEqual(300);
    expect(timeout).toBeLessThan(600);
    expect(urls[2]).toBe('/api/v1/configmaps?limit=500');
    expect(fake.requests[3].query.get('resourceVersion')).toBe('50');
    expect(deletes).toEqual(['d/a']);
  });
});
