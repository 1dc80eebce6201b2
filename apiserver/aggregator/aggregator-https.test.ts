/**
 * The aggregation layer end to end over HTTPS: a wardle backend behind a Service and Endpoints,
 * registered with an APIService carrying its caBundle, reached through the TLS API server with
 * authentication and RBAC on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type Agent } from 'undici';
import type { TlsTestApiServer } from '../testing/tls-test-server.ts';
import { hostIPv4, wardleObjects, type WardleBackend } from './testing/wardle-backend.ts';
import { startWardleAggregation, type WardleAggregation } from './testing/wardle-aggregation.ts';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

describe.skipIf(!hostIPv4())('aggregated API server behind the API server', () => {
  let setup: WardleAggregation;
  let api: TlsTestApiServer;
  let backend: WardleBackend;
  let agent: Agent;
  const call: WardleAggregation['call'] = (...args) => setup.call(...args);
  const waitCondition = (reason: string) => setup.waitCondition(reason);

  beforeAll(async () => {
    setup = await startWardleAggregation();
    ({ api, backend, agent } = setup);
  }, 60_000);
  afterAll(() => setup?.stop());

  it('goes Available after the discovery check', async () => {
    const c = await waitCondition('Passed');
    expect(c).toMatchObject({ status: 'True', message: 'all checks passed' });
    const check = backend.seen.find((r) => r.url === '/apis/wardle.example.com/v1alpha1');
    expect(check?.clientCert).toBe(true);
    expect([check?.headers['x-remote-user'], check?.headers['x-remote-group']]).toEqual(['system:kube-aggregator', 'system:masters']);
  });

  it('proxies a list with the caller in the front-proxy headers and the proxy client certificate', async () => {
    await waitCondition('Passed');
    backend.seen.length = 0;
    const res = await call('GET', '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders?limit=500');
    expect(res.status).toBe(200);
    expect(res.json().items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['my-first-flunder']);
    const seen = backend.seen.find((r) => r.url === '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders?limit=500');
    expect(seen).toBeDefined();
    expect(seen!.headers['x-remote-user']).toBe('admin');
    expect(String(seen!.headers['x-remote-group']).split(', ')).toEqual(['system:masters', 'system:authenticated']);
    expect(seen!.headers.authorization).toBeUndefined();
    expect(seen!.clientCert).toBe(true);
  });

  it('refuses an unauthorized caller before proxying', async () => {
    await waitCondition('Passed');
    backend.seen.length = 0;
    const res = await call('GET', '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders', { token: 'nobody-token' });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', message: 'flunders.wardle.example.com is forbidden: User "nobody" cannot list resource "flunders" in API group "wardle.example.com" in the namespace "default"' });
    expect(backend.seen.filter((r) => r.url.includes('flunders'))).toEqual([]);
  });

  it('lists the group in /apis, /apis/<group> and aggregated discovery, and proxies /apis/<group>/<version>', async () => {
    await waitCondition('Passed');
    const groups = (await call('GET', '/apis')).json().groups as Array<{ name: string; versions: unknown[] }>;
    expect(groups.find((g) => g.name === 'wardle.example.com')).toEqual({ name: 'wardle.example.com', versions: [{ groupVersion: 'wardle.example.com/v1alpha1', version: 'v1alpha1' }], preferredVersion: { groupVersion: 'wardle.example.com/v1alpha1', version: 'v1alpha1' } });
    expect((await call('GET', '/apis/wardle.example.com')).json()).toMatchObject({ kind: 'APIGroup', name: 'wardle.example.com' });
    const agg = await call('GET', '/apis', { accept: AGGREGATED });
    expect(agg.headers['content-type']).toBe(AGGREGATED);
    const item = (agg.json().items as Array<{ metadata: { name: string }; versions: Array<{ version: string; resources: Array<Record<string, unknown>> }> }>).find((i) => i.metadata.name === 'wardle.example.com');
    expect(item?.versions[0]?.resources[0]).toEqual({
      resource: 'flunders',
      responseKind: { group: 'wardle.example.com', version: 'v1alpha1', kind: 'Flunder' },
      scope: 'Namespaced',
      singularResource: 'flunder',
      verbs: ['create', 'delete', 'get', 'list', 'watch'],
      shortNames: ['fl'],
      subresources: [{ subresource: 'status', responseKind: { group: 'wardle.example.com', version: 'v1alpha1', kind: 'Flunder' }, verbs: ['get', 'patch', 'update'] }],
    });
    const openapi = (await call('GET', '/openapi/v3')).json().paths as Record<string, { serverRelativeURL: string }>;
    expect(openapi['apis/wardle.example.com/v1alpha1']).toEqual({ serverRelativeURL: '/openapi/v3/apis/wardle.example.com/v1alpha1?hash=W1' });
    expect((await call('GET', openapi['apis/wardle.example.com/v1alpha1']!.serverRelativeURL)).json().components.schemas).toHaveProperty(['com.example.wardle.v1alpha1.Flunder']);
    const list = await call('GET', '/apis/wardle.example.com/v1alpha1');
    expect(list.json()).toMatchObject({ kind: 'APIResourceList', groupVersion: 'wardle.example.com/v1alpha1' });
  });

  it('streams a watch through as the backend writes it', async () => {
    await waitCondition('Passed');
    backend.releaseWatch = undefined;
    const res = await request(`${api.url}/apis/wardle.example.com/v1alpha1/namespaces/default/flunders?watch=true`, { dispatcher: agent, headers: { authorization: 'Bearer admin-token' } });
    expect(res.statusCode).toBe(200);
    const chunks: string[] = [];
    const reader = res.body[Symbol.asyncIterator]();
    // The first event arrives while the backend still holds the second.
    while (!chunks.join('').includes('\n')) chunks.push(String((await reader.next()).value));
    expect(JSON.parse(chunks.join('').split('\n')[0]!).object.metadata.name).toBe('first');
    expect(backend.releaseWatch).toBeTypeOf('function');
    backend.releaseWatch!();
    for (let r = await reader.next(); !r.done; r = await reader.next()) chunks.push(String(r.value));
    expect(chunks.join('').trim().split('\n').map((l) => JSON.parse(l).object.metadata.name)).toEqual(['first', 'second']);
  });

  it('Endpoints without addresses make it False (MissingEndpoints), no Endpoints ServiceNotFound; proxying then answers 503', async () => {
    await waitCondition('Passed');
    const ep = (await call('GET', '/api/v1/namespaces/default/endpoints/wardle-server')).json();
    expect((await call('PUT', '/api/v1/namespaces/default/endpoints/wardle-server', { body: { ...ep, subsets: [] } })).status).toBe(200);
    expect(await waitCondition('MissingEndpoints')).toMatchObject({ status: 'False', message: 'endpoints for service/wardle-server in "default" have no addresses with port name "https"' });
    const down = await call('GET', '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders');
    expect(down.status).toBe(503);
    expect(down.text).toBe('service unavailable\n');
    const groups = (await call('GET', '/apis')).json().groups as Array<{ name: string }>;
    expect(groups.some((g) => g.name === 'wardle.example.com')).toBe(false);
    expect((await call('DELETE', '/api/v1/namespaces/default/endpoints/wardle-server')).status).toBe(200);
    expect(await waitCondition('ServiceNotFound')).toMatchObject({ status: 'False', message: 'service/wardle-server in "default" is not present' });
    // back again
    expect((await call('POST', '/api/v1/namespaces/default/endpoints', { body: wardleObjects(backend).endpoints })).status).toBe(201);
    await waitCondition('Passed');
  });

  it('a failing discovery endpoint makes it False (FailedDiscoveryCheck)', async () => {
    await waitCondition('Passed');
    backend.failDiscovery = 503;
    try {
      const c = await waitCondition('FailedDiscoveryCheck');
      const url = `https://${backend.ip}:${backend.port}/apis/wardle.example.com/v1alpha1`;
      expect(c).toMatchObject({ status: 'False', message: `failing or missing response from ${url}: bad status from ${url}: 503` });
    } finally {
      backend.failDiscovery = undefined;
    }
    await waitCondition('Passed');
  });
});
