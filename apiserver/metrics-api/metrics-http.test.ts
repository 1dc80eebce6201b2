/**
 * metrics.k8s.io/v1beta1 over HTTP against the assembled API server (memory storage), with fake
 * kubelets behind the nodes: n1 and n2 answer, n3's kubelet is down, n4 has no endpoint. Lists,
 * gets, 404s as metrics-server words them, selectors, all namespaces, Table output, discovery,
 * and bad input (400 / 405) that changes nothing and is never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../server.ts';
import { injectJson } from '../handlers/test-inject.ts';
import { assembleTestApiServer } from '../testing/tls-test-server.ts';
import { nodeFor, startFakeStatsKubelet, summaryOf, type FakeStatsKubelet } from './testing/fake-kubelet.ts';
import { freePort } from '../../e2e/harness/processes.ts';

const Mi = 1024 * 1024;
let server: ApiServer;
let k1: FakeStatsKubelet;
let k2: FakeStatsKubelet;


async function ok(method: string, url: string, body?: unknown) {
  const res = await injectJson(server, method, url, body);
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function addNode(node: Record<string, unknown>) {
  const created = await ok('POST', '/api/v1/nodes', { ...node, status: undefined });
  await ok('PUT', `/api/v1/nodes/${(node.metadata as { name: string }).name}/status`, { ...created, status: node.status });
}

async function addPod(namespace: string, name: string, nodeName: string | undefined, labels: Record<string, string>, containers: string[]) {
  const pod = await ok('POST', `/api/v1/namespaces/${namespace}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { ...(nodeName ? { nodeName } : {}), containers: containers.map((c) => ({ name: c, image: 'busybox' })) } });
  return pod.metadata.uid as string;
}

beforeAll(async () => {
  server = await assembleTestApiServer();
  k1 = await startFakeStatsKubelet({});
  k2 = await startFakeStatsKubelet({});
  await addNode(nodeFor('n1', k1.port, { zone: 'a' }));
  await addNode(nodeFor('n2', k2.port, { zone: 'b' }));
  await addNode(nodeFor('n3', await freePort(), { zone: 'a' }));
  await addNode({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n4' }, status: {} });
  const uid = {
    web1: await addPod('default', 'web-1', 'n1', { app: 'web' }, ['nginx', 'sidecar']),
    web2: await addPod('default', 'web-2', 'n2', { app: 'web' }, ['nginx']),
    db: await addPod('default', 'db', 'n1', { app: 'db' }, ['postgres']),
    starting: await addPod('default', 'starting', 'n2', { app: 'web' }, ['a', 'b']),
    dns: await addPod('kube-system', 'coredns', 'n2', { app: 'dns' }, ['coredns']),
    lost: await addPod('default', 'lost', 'n3', { app: 'web' }, ['x']),
  };
  await addPod('default', 'pending', undefined, { app: 'web' }, ['x']);
  k1.summary = summaryOf({
    node: 'n1',
    cpu: 250_000_000,
    memory: 1536 * Mi,
    pods: [
      { name: 'web-1', uid: uid.web1, containers: [{ name: 'nginx', cpu: 1_234_567, memory: 12 * Mi }, { name: 'sidecar', cpu: 2_000_000, memory: 3 * Mi }] },
      { name: 'db', uid: uid.db, containers: [{ name: 'postgres', cpu: 100_000_000, memory: 64 * Mi + 4096 }] },
      // a pod the API server does not know (deleted since): never reported
      { name: 'ghost', containers: [{ name: 'g', cpu: 1, memory: 1 }] },
    ],
  });
  k2.summary = summaryOf({
    node: 'n2',
    cpu: 1_500_000_000,
    memory: 2048 * Mi,
    pods: [
      { name: 'web-2', uid: uid.web2, containers: [{ name: 'nginx', cpu: 3_000_000, memory: 20 * Mi }] },
      { name: 'starting', uid: uid.starting, containers: [{ name: 'a', cpu: 1, memory: 4096 }, { name: 'b' }] },
      { name: 'coredns', namespace: 'kube-system', uid: uid.dns, containers: [{ name: 'coredns', cpu: 4_000_000, memory: 16 * Mi }] },
    ],
  });
});

afterAll(async () => {
  await server?.close();
  await k1?.close();
  await k2?.close();
});

const names = (list: { items: Array<{ metadata: { name: string; namespace?: string } }> }) => list.items.map((i) => (i.metadata.namespace ? `${i.metadata.namespace}/${i.metadata.name}` : i.metadata.name));

describe('NodeMetrics', () => {
  it('lists the nodes whose kubelets answer, by name, with their usage', async () => {
    const list = await ok('GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(list).toMatchObject({ kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {} });
    expect(names(list)).toEqual(['n1', 'n2']);
    expect(list.items[0]).toMatchObject({
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'n1', labels: { zone: 'a', 'kubernetes.io/hostname': 'n1' } },
      timestamp: '2026-12-06T08:00:00Z',
      window: '10s',
      usage: { cpu: '250m', memory: '1536Mi' },
    });
    expect(list.items[1].usage).toEqual({ cpu: '1500m', memory: '2Gi' });
  });

  it('gets one node; a node without metrics and an unknown node are 404s as metrics-server words them', async () => {
    expect((await ok('GET', '/apis/metrics.k8s.io/v1beta1/nodes/n2')).usage).toEqual({ cpu: '1500m', memory: '2Gi' });
    for (const [name, message] of [
      ['n3', 'nodemetrics.metrics.k8s.io "n3" not found'],
      ['n4', 'nodemetrics.metrics.k8s.io "n4" not found'],
      ['nope', 'node "nope" not found'],
    ]) {
      const res = await injectJson(server, 'GET', `/apis/metrics.k8s.io/v1beta1/nodes/${name}`);
      expect({ status: res.status, reason: res.body.reason, message: res.body.message }).toEqual({ status: 404, reason: 'NotFound', message });
    }
  });

  it.each([
    ['labelSelector=zone%3Da', ['n1']],
    ['labelSelector=zone%3Db', ['n2']],
    ['labelSelector=zone%20in%20(a,b)', ['n1', 'n2']],
    ['fieldSelector=metadata.name%3Dn2', ['n2']],
    ['fieldSelector=metadata.name%21%3Dn2', ['n1']],
  ])('filters by %s', async (query, expected) => {
    expect(names(await ok('GET', `/apis/metrics.k8s.io/v1beta1/nodes?${query}`))).toEqual(expected);
  });
});

describe('PodMetrics', () => {
  it('lists the namespace\'s pods that have metrics, by name, leaving out pods still starting or on a node that does not answer', async () => {
    const list = await ok('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
    expect(list.kind).toBe('PodMetricsList');
    expect(names(list)).toEqual(['default/db', 'default/web-1', 'default/web-2']);
    expect(list.items[1]).toMatchObject({
      kind: 'PodMetrics',
      metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
      timestamp: '2026-12-06T08:00:00Z',
      window: '10s',
      containers: [
        { name: 'nginx', usage: { cpu: '1234567n', memory: '12Mi' } },
        { name: 'sidecar', usage: { cpu: '2m', memory: '3Mi' } },
      ],
    });
    expect(list.items[0].containers).toEqual([{ name: 'postgres', usage: { cpu: '100m', memory: '65540Ki' } }]);
  });

  it('lists all namespaces at /apis/metrics.k8s.io/v1beta1/pods', async () => {
    expect(names(await ok('GET', '/apis/metrics.k8s.io/v1beta1/pods'))).toEqual(['default/db', 'default/web-1', 'default/web-2', 'kube-system/coredns']);
  });

  it.each([
    ['namespaces/default/pods?labelSelector=app%3Dweb', ['default/web-1', 'default/web-2']],
    ['namespaces/default/pods?labelSelector=app%21%3Dweb', ['default/db']],
    ['namespaces/default/pods?fieldSelector=metadata.name%3Dweb-2', ['default/web-2']],
    ['pods?fieldSelector=metadata.namespace%3Dkube-system', ['kube-system/coredns']],
    ['pods?labelSelector=app%3Ddns', ['kube-system/coredns']],
    ['namespaces/empty/pods', []],
  ])('%s', async (path, expected) => {
    expect(names(await ok('GET', `/apis/metrics.k8s.io/v1beta1/${path}`))).toEqual(expected);
  });

  it('gets one pod; a pod without metrics is metrics-server\'s 404, an unknown pod the pod lister\'s', async () => {
    expect((await ok('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods/coredns')).containers).toEqual([{ name: 'coredns', usage: { cpu: '4m', memory: '16Mi' } }]);
    for (const [name, message] of [
      ['starting', 'podmetrics.metrics.k8s.io "default/starting" not found'],
      ['pending', 'podmetrics.metrics.k8s.io "default/pending" not found'],
      ['lost', 'podmetrics.metrics.k8s.io "default/lost" not found'],
      ['nope', 'pods "nope" not found'],
    ]) {
      const res = await injectJson(server, 'GET', `/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/${name}`);
      expect({ status: res.status, reason: res.body.reason, message: res.body.message, group: res.body.details?.group }).toEqual({ status: 404, reason: 'NotFound', message, group: name === 'nope' ? undefined : 'metrics.k8s.io' });
    }
  });

  it('answers a Table for kubectl get (name, usage summed over containers, window)', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    const table = JSON.parse(res.body);
    expect(res.statusCode).toBe(200);
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'cpu', 'memory', 'Window']);
    expect(table.rows.map((r: { cells: unknown[] }) => r.cells)).toEqual([
      ['db', '100m', '65540Ki', '10s'],
      ['web-1', '3234567n', '15Mi', '10s'],
      ['web-2', '3m', '20Mi', '10s'],
    ]);
  });
});

describe('the kubelets are asked as little as needed', () => {
  it('reuses a node\'s summary for a few seconds and asks only the nodes a request needs', async () => {
    const before = { k1: k1.requests.length, k2: k2.requests.length };
    await ok('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1');
    await ok('GET', '/apis/metrics.k8s.io/v1beta1/nodes/n1');
    await ok('GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect({ k1: k1.requests.length - before.k1, k2: k2.requests.length - before.k2 }).toEqual({ k1: 0, k2: 0 });
    expect(k1.requests.every((r) => r === '/stats/summary?only_cpu_and_memory=true')).toBe(true);
  });

  it('skips a kubelet that answers an error or something that is not a summary', async () => {
    const fresh = await assembleTestApiServer({ metricsApi: { maxAgeMs: 0 } });
    try {
      const send = (method: string, url: string, body?: unknown) => injectJson(fresh, method, url, body);
      for (const [name, port] of [['n1', k1.port], ['n2', k2.port]] as const) {
        const node = nodeFor(name, port);
        const created = (await send('POST', '/api/v1/nodes', { ...node, status: undefined })).body;
        await send('PUT', `/api/v1/nodes/${name}/status`, { ...created, status: node.status });
      }
      const saved = k2.summary;
      k2.status = 500;
      expect(names((await send('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).body)).toEqual(['n1']);
      k2.status = 200;
      k2.summary = '{"node":{}}';
      expect(names((await send('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).body)).toEqual(['n1']);
      k2.summary = saved;
      expect(names((await send('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).body)).toEqual(['n1', 'n2']);
    } finally {
      k2.status = 200;
      await fresh.close();
    }
  });
});

describe('bad input changes nothing and is never a 500', () => {
  const snapshot = async () => JSON.stringify([(await ok('GET', '/api/v1/pods')).items, (await ok('GET', '/api/v1/nodes')).items]);

  it.each([
    ['GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%20in%20(', 400, 'BadRequest'],
    ['GET', '/apis/metrics.k8s.io/v1beta1/pods?labelSelector=%3D%3D%3D', 400, 'BadRequest'],
    ['GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?fieldSelector=spec.nodeName%3Dn1', 400, 'BadRequest'],
    ['GET', '/apis/metrics.k8s.io/v1beta1/nodes?fieldSelector=garbage', 400, 'BadRequest'],
    ['GET', '/apis/metrics.k8s.io/v1beta1/nodes?watch=true', 405, 'MethodNotAllowed'],
    ['GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?watch=1', 405, 'MethodNotAllowed'],
    ['POST', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', 405, 'MethodNotAllowed'],
    ['PUT', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1', 405, 'MethodNotAllowed'],
    ['PATCH', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1', 405, 'MethodNotAllowed'],
    ['DELETE', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1', 405, 'MethodNotAllowed'],
    ['DELETE', '/apis/metrics.k8s.io/v1beta1/nodes', 405, 'MethodNotAllowed'],
    ['POST', '/apis/metrics.k8s.io/v1beta1/nodes', 405, 'MethodNotAllowed'],
    ['GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1/status', 404, 'NotFound'],
    ['GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/nodes', 404, 'NotFound'],
    ['GET', '/apis/metrics.k8s.io/v1/nodes', 404, 'NotFound'],
  ])('%s %s → %d %s', async (method, url, code, reason) => {
    const before = await snapshot();
    const body = method === 'GET' || method === 'DELETE' ? undefined : { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', metadata: { name: 'web-1' } };
    const res = await injectJson(server, method, url, body, method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
    expect({ status: res.status, kind: res.body.kind, reason: res.body.reason }).toEqual({ status: code, kind: 'Status', reason });
    expect(await snapshot()).toBe(before);
  });
});

describe('discovery', () => {
  it('lists metrics.k8s.io/v1beta1 with nodes and pods (get, list)', async () => {
    const resources = await ok('GET', '/apis/metrics.k8s.io/v1beta1');
    expect(resources).toEqual({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'metrics.k8s.io/v1beta1',
      resources: [
        { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
        { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
      ],
    });
    const groups = await ok('GET', '/apis');
    expect(groups.groups.at(-1)).toEqual({ name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' } });
    const res = await server.app.inject({ method: 'GET', url: '/apis', headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' } });
    const metrics = JSON.parse(res.body).items.find((g: { metadata: { name: string } }) => g.metadata.name === 'metrics.k8s.io');
    expect(metrics.versions[0].resources.map((r: Record<string, unknown>) => [r.resource, r.scope, r.verbs, r.responseKind])).toEqual([
      ['nodes', 'Cluster', ['get', 'list'], { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics' }],
      ['pods', 'Namespaced', ['get', 'list'], { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' }],
    ]);
  });
});
