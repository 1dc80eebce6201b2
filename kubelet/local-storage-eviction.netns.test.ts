/**
 * Local storage limits with a real containerd (in a network namespace this test creates) and the
 * in-process API server, as upstream's kubelet enforces them with no eviction threshold met: a pod
 * writing past its emptyDir's `sizeLimit`, and a container writing past its own
 * `ephemeral-storage` limit into its writable layer (as containerd measures it), are evicted —
 * phase Failed, reason Evicted, upstream's message, an Evicted event, no DisruptionTarget
 * condition; a pod within its limits keeps running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-storage';
let fixture: NetnsNode | undefined;
let cp: TestControlPlane | undefined;

/** A pod whose containers write `mb` MiB to `path`, then sleep. */
function writer(name: string, containers: Array<{ name: string; mb: number; path: string; limit?: string }>, volumes: NonNullable<Pod['spec']>['volumes'] = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: NODE,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 30,
      volumes,
      containers: containers.map((c) => ({
        name: c.name,
        image: BUSYBOX_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        command: ['sh', '-c', `dd if=/dev/zero of=${c.path} bs=1M count=${c.mb} 2>/dev/null; sleep 3600`],
        ...(c.limit ? { resources: { limits: { 'ephemeral-storage': c.limit } } } : {}),
        ...(volumes?.length ? { volumeMounts: [{ name: 'data', mountPath: '/data' }] } : {}),
      })),
    },
  } as Pod;
}

const evicted = (name: string) =>
  waitFor(
    `${name} evicted`,
    async () => {
      const p = await cp!.client.pods.inNamespace('default').get(name);
      return p.status?.phase === 'Failed' && p;
    },
    { timeoutMs: 60_000, intervalMs: 500, retryErrors: true },
  );

async function events(involved: string): Promise<string[]> {
  const list = await cp!.client.events.inNamespace('default').list();
  return list.items.filter((e) => e.involvedObject?.name === involved).map((e) => `${e.type} ${e.reason}: ${e.message}`);
}

beforeAll(async () => {
  fixture = await startNetnsNode({
    name: 'k8ts-storage',
    nodeName: NODE,
    podCidr: '10.244.43.0/24',
    kubelet: { housekeepingMs: 1000, eviction: { thresholds: [], pressureTransitionMs: 300_000, maxPodGracePeriodSeconds: 0, monitoringIntervalMs: 1000 } },
  });
  ({ cp } = fixture);
}, 120_000);

afterAll(() => fixture?.stop(), 60_000);

describe('local storage limits with containerd', () => {
  it('evicts a pod whose emptyDir outgrows its sizeLimit, and one whose container outgrows its limit; leaves one within its limits', async () => {
    const pods = cp!.client.pods.inNamespace('default');
    await pods.create(writer('emptydir', [{ name: 'app', mb: 12, path: '/data/big' }], [{ name: 'data', emptyDir: { sizeLimit: '5Mi' } }]));
    // Two containers: the pod's total (14 MiB) is within the sum of the limits, container a's own is not.
    await pods.create(writer('rootfs', [{ name: 'a', mb: 12, path: '/big', limit: '5Mi' }, { name: 'b', mb: 1, path: '/small', limit: '100Mi' }]));
    await pods.create(writer('within', [{ name: 'app', mb: 2, path: '/data/f', limit: '50Mi' }], [{ name: 'data', emptyDir: { sizeLimit: '20Mi' } }]));

    const dir = await evicted('emptydir');
    const dirMessage = 'Usage of EmptyDir volume "data" exceeds the limit "5Mi". ';
    expect(dir.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: dirMessage });
    expect(dir.status?.conditions?.some((c) => c.type === 'DisruptionTarget')).toBe(false);
    expect(await events('emptydir')).toContain(`Warning Evicted: ${dirMessage}`);

    // containerd measures writable layers every 10 s and the kubelet samples them: seen a round or two after.
    const layer = await evicted('rootfs');
    const layerMessage = 'Container a exceeded its local ephemeral storage limit "5Mi". ';
    expect(layer.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: layerMessage });
    expect(await events('rootfs')).toContain(`Warning Evicted: ${layerMessage}`);

    const kept = await pods.get('within');
    expect(kept.status?.phase).toBe('Running');
  }, 120_000);
});
