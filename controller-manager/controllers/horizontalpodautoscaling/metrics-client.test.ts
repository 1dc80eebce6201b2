/**
 * The resource metrics boundary: the REST client against a scripted server answering as
 * metrics-server does (path, selector, zod validation, a missing API), and the pure conversion
 * of PodMetrics into per-pod samples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from '../../../pkg/client/index.ts';
import { sendJson, startTestServer, statusBody, type TestServer } from '../../../pkg/client/test-server.ts';
import { CalcError } from './calc-error.ts';
import { getResourceMetric, RestResourceMetricsClient, samplesOf, type PodMetricsItem } from './metrics-client.ts';

const item = (name: string, containers: Array<[string, Record<string, string>]>): PodMetricsItem => ({
  metadata: { name, namespace: 'web', labels: { app: 'php-apache' } },
  timestamp: '2026-01-01T12:00:00Z',
  window: '30s',
  containers: containers.map(([n, usage]) => ({ name: n, usage })),
});

describe('RestResourceMetricsClient', () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => {
    server = await startTestServer();
    client = createClient({ kubeconfig: server.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('lists PodMetrics of the namespace by label selector', async () => {
    server.handle((_req, res) => sendJson(res, 200, { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: [item('a', [['php', { cpu: '250000000n', memory: '1234Ki' }]])] }));
    const items = await new RestResourceMetricsClient(client).listPodMetrics('web', 'app=php-apache');
    const req = server.requests.at(-1)!;
    expect(req.path).toBe('/apis/metrics.k8s.io/v1beta1/namespaces/web/pods');
    expect(req.query.get('labelSelector')).toBe('app=php-apache');
    expect(samplesOf(items, 'cpu')).toEqual(new Map([['a', { value: 250, timestampMs: Date.parse('2026-01-01T12:00:00Z'), windowMs: 30_000 }]]));
  });

  it('refuses an answer that is not a PodMetrics list', async () => {
    server.handle((_req, res) => sendJson(res, 200, { items: [{ metadata: { name: 'a' }, timestamp: 'yesterday', window: '30s', containers: [] }] }));
    await expect(new RestResourceMetricsClient(client).listPodMetrics('web', '')).rejects.toThrow(/invalid PodMetricsList from the resource metrics API: items.0.timestamp/);
  });

  it('reports a missing metrics API with upstream wording', async () => {
    server.handle((_req, res) => sendJson(res, 404, statusBody(404, 'NotFound', 'the server could not find the requested resource')));
    const err = await getResourceMetric(new RestResourceMetricsClient(client), { resource: 'cpu', namespace: 'web', selector: 'app=x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CalcError);
    expect((err as CalcError).message).toBe('unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)');
  });

  it('an empty list is "no metrics returned"', async () => {
    server.handle((_req, res) => sendJson(res, 200, { items: [] }));
    await expect(getResourceMetric(new RestResourceMetricsClient(client), { resource: 'cpu', namespace: 'web', selector: '' })).rejects.toThrow('no metrics returned from resource metrics API');
  });
});

describe('samplesOf', () => {
  const items = [
    item('two', [['a', { cpu: '100m', memory: '1Ki' }], ['b', { cpu: '0.2', memory: '1Ki' }]]),
    item('none', []),
    item('partial', [['a', { cpu: '100m' }], ['b', { memory: '1Mi' }]]),
  ];
  it('sums the containers of a pod; a pod missing the resource in one container has no sample', () => {
    expect([...samplesOf(items, 'cpu')].map(([n, m]) => [n, m.value])).toEqual([['two', 300]]);
    expect([...samplesOf(items, 'memory')].map(([n, m]) => [n, m.value])).toEqual([['two', 2_048_000]]);
  });
  it('takes one container for ContainerResource; pods without it have no sample', () => {
    expect([...samplesOf(items, 'cpu', 'a')].map(([n, m]) => [n, m.value])).toEqual([['two', 100], ['partial', 100]]);
    expect([...samplesOf(items, 'cpu', 'b')].map(([n, m]) => [n, m.value])).toEqual([['two', 200]]);
  });
});
