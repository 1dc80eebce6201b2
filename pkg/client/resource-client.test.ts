import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isExpired } from '../errors/index.ts';
import { resourcePath } from './coordinates.ts';
import { createClient, type Client, type WatchEvent } from './index.ts';
import { sendJson, startTestServer, statusBody, type TestServer } from './test-server.ts';

let server: TestServer;
let client: Client;
beforeEach(async () => {
  server = await startTestServer();
  client = createClient({ kubeconfig: server.url, qps: Infinity, maxRetries: 0 });
});
afterEach(async () => {
  await client.close();
  await server.close();
});

const widgets = { group: 'example.com', version: 'v1', plural: 'widgets', namespaced: true, kind: 'Widget' };

describe('resourcePath', () => {
  it.each([
    [{ group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' }, { namespace: 'ns', name: 'p', subresource: 'status' }, '/api/v1/namespaces/ns/pods/p/status'],
    [{ group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' }, {}, '/api/v1/pods'],
    [{ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true, kind: 'Deployment' }, { namespace: 'a' }, '/apis/apps/v1/namespaces/a/deployments'],
    [{ group: '', version: 'v1', plural: 'nodes', namespaced: false, kind: 'Node' }, { namespace: 'ignored', name: 'n1' }, '/api/v1/nodes/n1'],
  ])('%j %j → %s', (coords, target, path) => {
    expect(resourcePath(coords, target)).toBe(path);
  });
});

describe('ResourceClient requests', () => {
  beforeEach(() => server.handle((req, res) => sendJson(res, 200, { kind: 'Echo', metadata: {}, method: req.method })));

  it('get/list/create/update/updateStatus use the right paths and query', async () => {
    await client.pods.get('p1', { namespace: 'ns1' });
    await client.pods.list({ labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1', limit: 10, continue: 'tok', resourceVersion: '0' });
    await client.configMaps.create({ metadata: { name: 'c', namespace: 'ns2' } }, { fieldManager: 'me', dryRun: true });
    await client.nodes.update({ metadata: { name: 'n1' } } as never);
    await client.deployments.inNamespace('apps-ns').updateStatus({ metadata: { name: 'd' } } as never);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/namespaces/ns1/pods/p1',
      'GET /api/v1/pods?labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn1&limit=10&continue=tok&resourceVersion=0',
      'POST /api/v1/namespaces/ns2/configmaps?fieldManager=me&dryRun=All',
      'PUT /api/v1/nodes/n1',
      'PUT /apis/apps/v1/namespaces/apps-ns/deployments/d/status',
    ]);
    expect(JSON.parse(server.requests[2].body)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns2' } });
  });

  it.each([
    ['json', 'application/json-patch+json'],
    ['merge', 'application/merge-patch+json'],
    ['strategic', 'application/strategic-merge-patch+json'],
    ['apply', 'application/apply-patch+yaml'],
  ] as const)('patch type %s sends %s', async (type, contentType) => {
    await client.resource(widgets).patch('w', { spec: {} }, { type, namespace: 'x', fieldManager: 'fm', force: type === 'apply' ? true : undefined });
    const req = server.requests[0];
    expect(req.headers['content-type']).toBe(contentType);
    expect(req.path).toBe('/apis/example.com/v1/namespaces/x/widgets/w');
    expect(req.query.get('fieldManager')).toBe('fm');
    expect(req.query.get('force')).toBe(type === 'apply' ? 'true' : null);
  });

  it('delete sends DeleteOptions; deleteCollection sends selectors', async () => {
    await client.pods.delete('p', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1' } });
    await client.pods.deleteCollection({ namespace: 'ns', labelSelector: 'a=b' });
    expect(JSON.parse(server.requests[0].body)).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1' } });
    expect(server.requests[0].url).toBe('/api/v1/namespaces/default/pods/p');
    expect(server.requests[1].url).toBe('/api/v1/namespaces/ns/pods?labelSelector=a%3Db');
    expect(server.requests[1].body).toBe('');
  });

  it('subresource calls any subresource', async () => {
    await client.pods.subresource('p', 'binding', { method: 'POST', body: { target: { kind: 'Node', name: 'n1' } } });
    await client.deployments.subresource('d', 'scale', { method: 'GET', namespace: 'x' });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/namespaces/default/pods/p/binding', 'GET /apis/apps/v1/namespaces/x/deployments/d/scale']);
  });
});

function streamEvents(res: ServerResponse, events: unknown[], { end }: { end: boolean }): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const text = events.map((e) => JSON.stringify(e) + '\n').join('');
  // Split in awkward places so events straddle chunks.
  const cut = Math.floor(text.length / 3);
  res.write(text.slice(0, cut));
  setTimeout(() => {
    res.write(text.slice(cut));
    if (end) res.end();
  }, 10);
}

const cm = (name: string, rv: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion: rv } });

describe('watch', () => {
  it('yields events split across chunks and ends when the server closes', async () => {
    server.handle((_req, res) =>
      streamEvents(
        res,
        [
          { type: 'ADDED', object: cm('a', '5') },
          { type: 'MODIFIED', object: { ...cm('a', '6'), data: { 'x}{"': 'y\\"' } } },
          { type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '7' } } },
          { type: 'DELETED', object: cm('a', '8') },
        ],
        { end: true },
      ),
    );
    const seen: string[] = [];
    for await (const ev of client.configMaps.watch({ namespace: 'default', resourceVersion: '4', allowWatchBookmarks: true, timeoutSeconds: 30 })) {
      seen.push(`${ev.type}:${ev.object.metadata?.resourceVersion}`);
    }
    expect(seen).toEqual(['ADDED:5', 'MODIFIED:6', 'BOOKMARK:7', 'DELETED:8']);
    expect(server.requests[0].url).toBe('/api/v1/namespaces/default/configmaps?resourceVersion=4&timeoutSeconds=30&watch=true&allowWatchBookmarks=true');
  });

  it('ends quietly when the caller aborts', async () => {
    server.handle((_req, res) => streamEvents(res, [{ type: 'ADDED', object: cm('a', '5') }], { end: false }));
    const ac = new AbortController();
    const seen: WatchEvent[] = [];
    for await (const ev of client.configMaps.watch({ signal: ac.signal })) {
      seen.push(ev);
      ac.abort();
    }
    expect(seen).toHaveLength(1);
  });

  it('passes ERROR events through with their Status', async () => {
    server.handle((_req, res) => streamEvents(res, [{ type: 'ERROR', object: statusBody(410, 'Expired', 'too old resource version: 1 (5)') }], { end: true }));
    const events: WatchEvent[] = [];
    for await (const ev of client.configMaps.watch({ resourceVersion: '1' })) events.push(ev);
    expect(events).toEqual([{ type: 'ERROR', object: statusBody(410, 'Expired', 'too old resource version: 1 (5)') }]);
  });

  it('throws the ApiError when the watch request fails', async () => {
    server.handle((_req, res) => sendJson(res, 410, statusBody(410, 'Expired', 'too old resource version: 1 (5)')));
    const run = async () => {
      for await (const _ of client.configMaps.watch({ resourceVersion: '1' })) {
        /* none */
      }
    };
    const err = await run().catch((e) => e);
    expect(isExpired(err)).toBe(true);
  });
});
