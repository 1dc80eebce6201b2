/**
 * InterPodAffinity against a real control plane: three pods with required anti-affinity on
 * kubernetes.io/hostname against their own label spread over three nodes; a fourth stays
 * Pending with upstream's message.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/index.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { runScheduler } from '../../testing/run-scheduler.ts';

type PodLike = { metadata?: { name?: string }; spec?: { nodeName?: string }; status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, retryErrors: true });

describe('InterPodAffinity (integration)', () => {
  let cp: TestControlPlane;
  afterAll(async () => {
    await cp?.stop();
  });

  it('spreads pods with hostname anti-affinity over the nodes; the pod that fits nowhere stays Pending', async () => {
    cp = await startTestControlPlane();
    const res = { cpu: '4', memory: '8Gi', pods: '110' };
    const nodes = ['node-a', 'node-b', 'node-c'];
    for (const name of nodes) await cp.client.nodes.create({ metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { capacity: res, allocatable: res } } as never);
    await runScheduler(cp);

    const pods = cp.client.pods.inNamespace('default');
    const create = (name: string) =>
      pods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { app: 'spread' } },
        spec: {
          containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }],
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'spread' } }, topologyKey: 'kubernetes.io/hostname' }],
            },
          },
        },
      } as never);
    const get = (name: string) => pods.get(name) as Promise<PodLike>;

    // One at a time, so each scheduling cycle sees the previous pod (bound or assumed).
    const placed: string[] = [];
    for (const name of ['spread-1', 'spread-2', 'spread-3']) {
      await create(name);
      placed.push(await until(`${name} bound`, async () => (await get(name)).spec?.nodeName));
    }
    expect([...placed].sort()).toEqual(nodes);

    await create('spread-4');
    const cond = await until('spread-4 PodScheduled=False', async () => (await get('spread-4')).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'));
    expect(cond.reason).toBe('Unschedulable');
    // DefaultPreemption may append " preemption: …".
    expect(cond.message?.startsWith("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.")).toBe(true);
    expect((await get('spread-4')).spec?.nodeName).toBeUndefined();
  }, 60_000);
});
