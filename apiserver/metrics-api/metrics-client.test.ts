/**
 * The TypeScript client reads metrics.k8s.io as a controller (the HPA) would: `client.podMetrics`
 * lists a namespace's pods by label selector and gets one pod; `client.nodeMetrics` lists nodes;
 * a watch is refused (405) as metrics-server refuses it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';
import { nodeFor, startFakeStatsKubelet, summaryOf, type FakeStatsKubelet } from './testing/fake-kubelet.ts';

let cp: TestControlPlane;
let kubelet: FakeStatsKubelet;

beforeAll(async () => {
  cp = await startTestControlPlane();
  kubelet = await startFakeStatsKubelet({});
  const node = nodeFor('n1', kubelet.port);
  const created = await cp.client.nodes.create(node as never);
  await cp.client.nodes.updateStatus({ ...created, status: node.status } as never);
  const pods = [];
  for (const [name, app] of [['web-1', 'web'], ['web-2', 'web'], ['db', 'db']]) {
    pods.push(await cp.client.pods.inNamespace('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } } as never));
  }
  kubelet.summary = summaryOf({
    node: 'n1',
    cpu: 500_000_000,
    memory: 1024 * 1024 * 1024,
    pods: pods.map((p, i) => ({ name: p.metadata.name as string, uid: p.metadata.uid, containers: [{ name: 'c', cpu: (i + 1) * 100_000_000, memory: (i + 1) * 32 * 1024 * 1024 }] })),
  });
});

afterAll(async () => {
  await cp?.stop();
  await kubelet?.close();
});

describe('metrics through the client', () => {
  it('lists pod metrics by label selector and gets one pod, as the HPA reads them', async () => {
    const list = await cp.client.podMetrics.inNamespace('default').list({ labelSelector: 'app=web' });
    expect(list.items.map((m) => [m.metadata.name, m.containers])).toEqual([
      ['web-1', [{ name: 'c', usage: { cpu: '100m', memory: '32Mi' } }]],
      ['web-2', [{ name: 'c', usage: { cpu: '200m', memory: '64Mi' } }]],
    ]);
    expect((await cp.client.podMetrics.inNamespace('default').get('db')).containers?.[0]?.usage).toEqual({ cpu: '300m', memory: '96Mi' });
  });

  it('lists node metrics', async () => {
    expect((await cp.client.nodeMetrics.list()).items.map((m) => [m.metadata.name, m.usage, m.window])).toEqual([['n1', { cpu: '500m', memory: '1Gi' }, '10s']]);
  });

  it('refuses a watch with 405 MethodNotAllowed', async () => {
    const res = await fetch(`${cp.url}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?watch=true`);
    expect({ status: res.status, reason: ((await res.json()) as { reason: string }).reason }).toEqual({ status: 405, reason: 'MethodNotAllowed' });
  });
});
