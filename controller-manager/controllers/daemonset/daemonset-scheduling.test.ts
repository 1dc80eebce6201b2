/**
 * DaemonSet pods and the real scheduler: the controller only pins each pod to its node with
 * `matchFields metadata.name In [node]`; the scheduler (nodeaffinity plugin) binds it there,
 * also on a node marked unschedulable (the pods tolerate node.kubernetes.io/unschedulable).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { runScheduler } from '../../../scheduler/testing/run-scheduler.ts';

let cp: TestControlPlane;
const NS = 'ds-sched';

async function createNode(name: string, o: { unschedulable?: boolean; taints?: Array<{ key: string; effect: string }> } = {}): Promise<void> {
  const resources = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '10Gi' };
  const status = { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True' }] };
  const created = await cp.client.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: { unschedulable: o.unschedulable, taints: o.taints } } as never);
  await cp.client.nodes.updateStatus({ ...created, status } as never);
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['daemonset'] });
  await runScheduler(cp);
  await cp.client.namespaces.create({ metadata: { name: NS } });
  await createNode('w1');
  await createNode('w2');
  await createNode('cordoned', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
});
afterAll(() => cp?.stop());

describe('DaemonSet pods and the scheduler', () => {
  it('every pod is bound to the node its affinity names, a cordoned node included', async () => {
    await cp.client.daemonSets.inNamespace(NS).create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'node-exporter' },
      spec: { selector: { matchLabels: { app: 'node-exporter' } }, template: { metadata: { labels: { app: 'node-exporter' } }, spec: { hostNetwork: true, containers: [{ name: 'e', image: 'prom/node-exporter', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } } },
    } as DaemonSet);
    const bound = await waitFor('3 bound pods', async () => {
      const items = (await cp.client.pods.inNamespace(NS).list({ labelSelector: 'app=node-exporter' })).items;
      return items.length === 3 && items.every((p) => p.spec?.nodeName) && items;
    }, { timeoutMs: 15_000 });
    for (const p of bound) {
      const pinned = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
      expect(p.spec?.nodeName).toBe(pinned);
    }
    expect(bound.map((p) => p.spec?.nodeName).sort()).toEqual(['cordoned', 'w1', 'w2']);
  });
});
