/**
 * Node-pressure eviction with a real containerd (in a network namespace this test creates), the
 * in-process API server and a kubelet whose hard threshold the machine always meets
 * (`memory.available` below all of its memory but 256Mi, which the host's own use always
 * exceeds): the Node reports MemoryPressure with upstream's reason and message, the node events
 * and 256Mi of allocatable memory left (room for the Guaranteed pod below, which the kubelet's
 * resource admission would otherwise refuse as OutOfmemory); a BestEffort pod is rejected at admission (phase Failed, reason
 * Evicted, `Pod was rejected: The node had condition: [MemoryPressure]. `) and never runs; a
 * Guaranteed pod is admitted and then evicted as upstream does — its containers stopped, phase
 * Failed, reason Evicted, the low-on-memory message with the threshold and what was available,
 * the DisruptionTarget condition and the Evicted event — and is not restarted. A second node
 * whose `nodefs.available<99%` is always met reports DiskPressure and refuses a Burstable pod.
 */
import { totalmem } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { canonicalQuantity } from '../pkg/api/quantity.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { parseThresholds } from './eviction/thresholds.ts';
import { CriRuntime } from './runtime/cri-runtime.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-evict';
/** The hard threshold: the machine's memory (as the kubelet reads it) but 256Mi. */
const THRESHOLD = `${Math.floor(totalmem() / 1024) - 256 * 1024}Ki`;
let fixture: NetnsNode | undefined;
let cp: TestControlPlane | undefined;

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 250, retryErrors: true });

function pod(name: string, resources?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 30,
      containers: [{ name: 'app', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'], ...(resources ? { resources: { requests: resources, limits: resources } } : {}) }],
    },
  } as Pod;
}

async function events(involved: string): Promise<string[]> {
  const list = await cp!.client.events.inNamespace('default').list();
  return list.items.filter((e) => e.involvedObject?.name === involved).map((e) => `${e.involvedObject?.kind} ${e.type} ${e.reason}: ${e.message}`);
}

beforeAll(async () => {
  fixture = await startNetnsNode({
    name: 'k8ts-evict',
    nodeName: NODE,
    podCidr: '10.244.39.0/24',
    kubelet: {
      housekeepingMs: 500,
      eviction: { thresholds: parseThresholds({ evictionHard: { 'memory.available': THRESHOLD } }), pressureTransitionMs: 300_000, maxPodGracePeriodSeconds: 0, monitoringIntervalMs: 1000 },
    },
  });
  ({ cp } = fixture);
}, 120_000);

afterAll(() => fixture?.stop(), 60_000);

describe('node-pressure eviction with containerd', () => {
  it('the Node shows MemoryPressure with upstream reason and message, and the node events', async () => {
    const node = await until('MemoryPressure True', async () => {
      const n = await cp!.client.nodes.get(NODE);
      return n.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.status === 'True' && n;
    });
    const byType = Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason, c.message]]));
    expect(byType).toMatchObject({
      MemoryPressure: ['True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'],
      DiskPressure: ['False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      PIDPressure: ['False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      Ready: ['True', 'KubeletReady', 'kubelet is posting ready status'],
    });
    // The hard threshold is held back from allocatable memory, as upstream's node allocatable.
    expect(node.status?.allocatable?.memory).toBe('256Mi');
    const nodeEvents = await until('node events', async () => {
      const e = await events(NODE);
      return e.some((x) => x.includes('EvictionThresholdMet')) && e.some((x) => x.includes('NodeHasInsufficientMemory')) && e;
    });
    expect(nodeEvents).toEqual(expect.arrayContaining([
      'Node Warning EvictionThresholdMet: Attempting to reclaim memory',
      `Node Normal NodeHasInsufficientMemory: Node ${NODE} status is now: NodeHasInsufficientMemory`,
      `Node Normal NodeHasNoDiskPressure: Node ${NODE} status is now: NodeHasNoDiskPressure`,
      'Node Normal Starting: Starting kubelet.',
    ]));
    // kubectl cordon / uncordon: the kubelet says so on the Node, as upstream's.
    for (const unschedulable of [true, false]) {
      await cp!.client.nodes.patch(NODE, { spec: { unschedulable } }, { type: 'merge' });
      const reason = unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable';
      await until(reason, async () => (await events(NODE)).includes(`Node Normal ${reason}: Node ${NODE} status is now: ${reason}`));
    }
  });

  it('a BestEffort pod is rejected at admission: Failed, Evicted, the condition message, never run', async () => {
    const pods = cp!.client.pods.inNamespace('default');
    const created = await pods.create(pod('besteffort'));
    const failed = await until('besteffort rejected', async () => {
      const p = await pods.get('besteffort');
      return p.status?.phase === 'Failed' && p;
    });
    expect(failed.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Pod was rejected: The node had condition: [MemoryPressure]. ', qosClass: 'BestEffort' });
    expect(await until('rejection event', async () => {
      const e = await events('besteffort');
      return e.length > 0 && e;
    })).toContain('Pod Warning Evicted: The node had condition: [MemoryPressure]. ');
    const runtime = new CriRuntime(fixture!.node.cri);
    expect(await runtime.getPod(created.metadata.uid as string)).toBeUndefined();
  });

  it('a Guaranteed pod is admitted, then evicted: containers stopped, Failed, Evicted with the threshold, DisruptionTarget, event; not restarted', async () => {
    const pods = cp!.client.pods.inNamespace('default');
    const created = await pods.create(pod('guaranteed', { cpu: '100m', memory: '64Mi' }));
    const evicted = await until('guaranteed evicted', async () => {
      const p = await pods.get('guaranteed');
      return p.status?.phase === 'Failed' && p.status.containerStatuses?.[0]?.state?.terminated && p;
    });
    const message = evicted.status?.message ?? '';
    expect(evicted.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', qosClass: 'Guaranteed' });
    // The sleeping container uses far less than its 64Mi request, so no container is named.
    expect(message).toMatch(new RegExp(`^The node was low on resource: memory\\. Threshold quantity: ${canonicalQuantity(THRESHOLD)}, available: \\d+(Ki|Mi|Gi|k|M|G)?\\. $`));
    expect(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'TerminationByKubelet', message });
    expect(evicted.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(await events('guaranteed')).toContain(`Pod Warning Evicted: ${message}`);
    const runtime = new CriRuntime(fixture!.node.cri);
    const uid = created.metadata.uid as string;
    await until('guaranteed stopped in the runtime', async () => {
      const rt = await runtime.getPod(uid);
      return rt !== undefined && !rt.containers.some((c) => c.state === 'running') && !rt.sandboxes.some((s) => s.state === 'ready');
    });
    // Several eviction rounds and resyncs later it has neither restarted nor left Failed.
    await new Promise((r) => setTimeout(r, 4000));
    const later = await pods.get('guaranteed');
    expect(later.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message });
    const rt = await runtime.getPod(uid);
    expect(rt?.containers.filter((c) => c.state === 'running')).toEqual([]);
    expect(rt?.containers).toHaveLength(1);
  });
});

describe('disk pressure with containerd', () => {
  const DISK_NODE = 'node-evict-disk';
  let disk: NetnsNode | undefined;

  beforeAll(async () => {
    disk = await startNetnsNode({
      name: 'k8ts-evictdisk',
      nodeName: DISK_NODE,
      podCidr: '10.244.40.0/24',
      kubelet: { eviction: { thresholds: parseThresholds({ evictionHard: { 'nodefs.available': '99%' } }), pressureTransitionMs: 300_000, maxPodGracePeriodSeconds: 0, monitoringIntervalMs: 1000 } },
    });
  }, 120_000);

  afterAll(() => disk?.stop(), 60_000);

  it('the Node shows DiskPressure, and a Burstable pod is rejected with [DiskPressure]', async () => {
    const client = disk!.cp.client;
    const node = await until('DiskPressure True', async () => {
      const n = await client.nodes.get(DISK_NODE);
      return n.status?.conditions?.find((c) => c.type === 'DiskPressure')?.status === 'True' && n;
    });
    const byType = Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason, c.message]]));
    expect(byType).toMatchObject({
      MemoryPressure: ['False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      DiskPressure: ['True', 'KubeletHasDiskPressure', 'kubelet has disk pressure'],
    });
    const pods = client.pods.inNamespace('default');
    const burstable = pod('burstable', { memory: '16Mi' });
    burstable.spec!.nodeName = DISK_NODE;
    delete burstable.spec!.containers![0].resources!.limits;
    await pods.create(burstable);
    const failed = await until('burstable rejected', async () => {
      const p = await pods.get('burstable');
      return p.status?.phase === 'Failed' && p;
    });
    expect(failed.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Pod was rejected: The node had condition: [DiskPressure]. ', qosClass: 'Burstable' });
  });
});
