import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { createApiServer } from '../server.ts';
import { interimDiscoveryPlugin } from '../handlers/interim-discovery.ts';
import { aggregatedContentType, aggregatedDiscovery, negotiateAggregated } from './aggregated.ts';

const v2Accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const v2beta1Accept = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('aggregated discovery', () => {
  it.each([
    [v2Accept, 'v2'],
    [v2beta1Accept, 'v2beta1'],
    ['application/json', undefined],
    [undefined, undefined],
  ])('negotiates %s → %s', (accept, version) => {
    expect(negotiateAggregated(accept)).toBe(version);
  });

  it.each(['v2', 'v2beta1'] as const)('%s lists metrics.k8s.io/v1beta1 last: nodes and pods, get and list, as metrics-server (empty singular)', (version) => {
    const list = aggregatedDiscovery({ registry: createBuiltinRegistry(), core: false, version }) as { items: Array<{ metadata: { name: string }; versions: Array<{ version: string; resources: unknown[] }> }> };
    const metrics = list.items.at(-1);
    expect(metrics?.metadata.name).toBe('metrics.k8s.io');
    expect(metrics?.versions.map((v) => v.version)).toEqual(['v1beta1']);
    expect(metrics?.versions[0]?.resources).toEqual([
      { resource: 'nodes', responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics' }, scope: 'Cluster', singularResource: '', verbs: ['get', 'list'] },
      { resource: 'pods', responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' }, scope: 'Namespaced', singularResource: '', verbs: ['get', 'list'] },
    ]);
  });

  it('serves /api and /apis with the exact content type, ETag and 304', async () => {
    const registry = createBuiltinRegistry();
    const server = await createApiServer({ storage: new MemoryStorage(), registry, logger: pino({ level: 'silent' }), plugins: [(app) => interimDiscoveryPlugin(app, { registry })] });
    try {
      const core = await server.app.inject({ method: 'GET', url: '/api', headers: { accept: v2Accept } });
      expect(core.statusCode).toBe(200);
      expect(core.headers['content-type']).toBe(aggregatedContentType('v2'));
      expect(core.headers.vary).toBe('Accept');
      const body = core.json();
      expect(body).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
      expect(body.items).toHaveLength(1);
      expect(body.items[0].metadata.name).toBe('');
      const cm = body.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'configmaps');
      expect(cm).toMatchObject({ responseKind: { group: '', version: 'v1', kind: 'ConfigMap' }, scope: 'Namespaced', singularResource: 'configmap', shortNames: ['cm'] });
      const svc = body.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'services');
      expect(svc.subresources).toContainEqual({ subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Service' }, verbs: ['get', 'patch', 'update'] });

      const again = await server.app.inject({ method: 'GET', url: '/api', headers: { accept: v2Accept, 'if-none-match': String(core.headers.etag) } });
      expect(again.statusCode).toBe(304);

      const groups = await server.app.inject({ method: 'GET', url: '/apis', headers: { accept: v2beta1Accept } });
      expect(groups.headers['content-type']).toBe(aggregatedContentType('v2beta1'));
      const names = groups.json().items.map((i: { metadata: { name: string } }) => i.metadata.name);
      expect(names).toContain('discovery.k8s.io');
      expect(names).not.toContain('');

      const legacy = await server.app.inject({ method: 'GET', url: '/api', headers: { accept: 'application/json' } });
      expect(legacy.json()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    } finally {
      await server.close();
    }
  });
});
