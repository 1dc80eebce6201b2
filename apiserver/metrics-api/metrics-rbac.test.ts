/**
 * metrics.k8s.io is authorized like any other resource (apiGroup `metrics.k8s.io`, resource
 * `pods` / `nodes`): through the TLS API server with bearer tokens, a user bound to `view` in a
 * namespace reads that namespace's pod metrics (metrics-server's aggregated reader role extends
 * view) and nothing else, a user bound to `system:aggregated-metrics-reader` reads node metrics,
 * and a user with no binding is refused with upstream's Forbidden text.
 */
import { readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsTestApiServer, type TlsTestApiServer } from '../testing/tls-test-server.ts';
import { nodeFor, startFakeStatsKubelet, summaryOf, type FakeStatsKubelet } from './testing/fake-kubelet.ts';

let tls: TlsTestApiServer;
let kubelet: FakeStatsKubelet;
let agent: Agent;

async function call(user: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${tls.url}${path}`, {
    method,
    dispatcher: agent,
    headers: { authorization: `Bearer ${user}-token`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

async function admin(method: string, path: string, body?: unknown) {
  const res = await call('admin', method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  tls = await startTlsTestApiServer({ tokenFile: 'admin-token,admin,1,"system:masters"\nviewer-token,viewer,2\nhpa-token,hpa,3\nnobody-token,nobody,4\n' });
  agent = new Agent({ connect: { ca: readFileSync(tls.ca.cert) } });
  kubelet = await startFakeStatsKubelet({});
  const node = nodeFor('n1', kubelet.port);
  const created = await admin('POST', '/api/v1/nodes', { ...node, status: undefined });
  await admin('PUT', '/api/v1/nodes/n1/status', { ...created, status: node.status });
  const pods: Record<string, string> = {};
  for (const ns of ['default', 'kube-system']) {
    const pod = await admin('POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
    pods[ns] = pod.metadata.uid;
  }
  kubelet.summary = summaryOf({ node: 'n1', cpu: 1_000_000, memory: 1024 * 1024, pods: Object.entries(pods).map(([namespace, uid]) => ({ name: 'web', namespace, uid, containers: [{ name: 'c', cpu: 5_000_000, memory: 8 * 1024 * 1024 }] })) });
  const subject = (name: string) => [{ kind: 'User', name, apiGroup: 'rbac.authorization.k8s.io' }];
  await admin('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'viewer' }, subjects: subject('viewer'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } });
  await admin('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'hpa-metrics' }, subjects: subject('hpa'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:aggregated-metrics-reader' } });
}, 60_000);

afterAll(async () => {
  await tls?.stop();
  await kubelet?.close();
  await agent?.close();
});

describe('authorizing metrics.k8s.io', () => {
  it('a viewer of a namespace reads its pod metrics', async () => {
    const list = await call('viewer', 'GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
    expect({ status: list.status, items: list.body.items?.map((i: { metadata: { name: string }; containers: unknown }) => [i.metadata.name, i.containers]) }).toEqual({ status: 200, items: [['web', [{ name: 'c', usage: { cpu: '5m', memory: '8Mi' } }]]] });
    expect((await call('viewer', 'GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web')).status).toBe(200);
  });

  it.each([
    ['viewer', '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods', 'pods.metrics.k8s.io is forbidden: User "viewer" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "kube-system"'],
    ['viewer', '/apis/metrics.k8s.io/v1beta1/pods', 'pods.metrics.k8s.io is forbidden: User "viewer" cannot list resource "pods" in API group "metrics.k8s.io" at the cluster scope'],
    ['viewer', '/apis/metrics.k8s.io/v1beta1/nodes', 'nodes.metrics.k8s.io is forbidden: User "viewer" cannot list resource "nodes" in API group "metrics.k8s.io" at the cluster scope'],
    ['nobody', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web', 'pods.metrics.k8s.io "web" is forbidden: User "nobody" cannot get resource "pods" in API group "metrics.k8s.io" in the namespace "default"'],
  ])('%s GET %s → 403', async (user, path, message) => {
    const res = await call(user, 'GET', path);
    expect({ status: res.status, reason: res.body.reason, message: res.body.message }).toEqual({ status: 403, reason: 'Forbidden', message });
  });

  it('system:aggregated-metrics-reader reads node and pod metrics everywhere', async () => {
    const nodes = await call('hpa', 'GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect({ status: nodes.status, names: nodes.body.items?.map((i: { metadata: { name: string } }) => i.metadata.name) }).toEqual({ status: 200, names: ['n1'] });
    const pods = await call('hpa', 'GET', '/apis/metrics.k8s.io/v1beta1/pods');
    expect({ status: pods.status, names: pods.body.items?.map((i: { metadata: { namespace: string } }) => i.metadata.namespace) }).toEqual({ status: 200, names: ['default', 'kube-system'] });
  });
});
