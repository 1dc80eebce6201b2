/**
 * Preemption end to end against the in-process control plane (no kubelet: the test confirms the
 * victim's graceful deletion as a kubelet would): a high-priority pod that fits nowhere evicts a
 * lower-priority pod, is nominated to its node, and binds there once the victim is gone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/index.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { runScheduler } from '../../testing/run-scheduler.ts';

type PodLike = {
  metadata: { name: string; uid?: string; deletionTimestamp?: string };
  spec?: { nodeName?: string; priority?: number };
  status?: { nominatedNodeName?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
};

const until = <T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> => waitFor(what, fn, { timeoutMs: 15_000, retryErrors: true });

describe('DefaultPreemption through the API', () => {
  let cp: TestControlPlane;
  afterAll(async () => {
    await cp?.stop();
  });

  it('evicts a lower-priority pod, nominates its node and binds there', async () => {
    cp = await startTestControlPlane();
    const res = { cpu: '1', memory: '4Gi', pods: '110' };
    await cp.client.nodes.create({ metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } }, status: { capacity: res, allocatable: res } } as never);
    await runScheduler(cp);

    const pods = cp.client.pods.inNamespace('default');
    const get = (name: string) => pods.get(name) as Promise<PodLike>;
    const pod = (name: string, cpu: string, extra: object = {}) =>
      ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }], ...extra } }) as never;

    await pods.create(pod('low', '800m'));
    await until('low bound', async () => (await get('low')).spec?.nodeName);

    // Same priority: nothing to preempt, the upstream message says so.
    await pods.create(pod('peer', '500m'));
    const peerCond = await until('peer unschedulable', async () => (await get('peer')).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'));
    expect(peerCond.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    await pods.delete('peer', { gracePeriodSeconds: 0 });

    await cp.client.resource({ group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', namespaced: false, kind: 'PriorityClass' }).create({ metadata: { name: 'high' }, value: 1000 } as never);
    const high = (await pods.create(pod('high', '500m', { priorityClassName: 'high' }))) as PodLike;
    expect(high.spec?.priority).toBe(1000);

    const victim = await until('victim terminating', async () => {
      const p = await get('low');
      return p.metadata.deletionTimestamp ? p : undefined;
    });
    expect(victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    const nominated = await until('high nominated', async () => (await get('high')).status?.nominatedNodeName);
    expect(nominated).toBe('n1');
    expect((await get('high')).spec?.nodeName).toBeUndefined();
    const preempted = await until('Preempted event', async () => {
      const list = await cp.client.events.inNamespace('default').list();
      return list.items.find((e) => (e as { reason?: string; involvedObject?: { name?: string } }).reason === 'Preempted' && (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'low');
    });
    expect((preempted as { message?: string }).message).toBe(`Preempted by pod ${high.metadata.uid} on node n1`);

    // The kubelet's part: the victim's containers stop and its deletion is confirmed.
    await pods.delete('low', { gracePeriodSeconds: 0 });
    expect(await until('high bound', async () => (await get('high')).spec?.nodeName)).toBe('n1');
  });
});
