import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import type { NodeObject, PodObject } from '../framework/index.ts';
import { Cache } from './cache.ts';
import { numFeasibleNodesToFind } from './feasible.ts';
import { Snapshot } from './snapshot.ts';

const node = (name: string, cpu = '4'): NodeObject => ({ metadata: { name }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } }) as NodeObject;
const pod = (name: string, nodeName: string, cpu = '1', anti = false): PodObject =>
  ({
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: name } },
    spec: {
      nodeName,
      containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }],
      affinity: anti ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: name } } }] } } : undefined,
    },
  }) as PodObject;

describe('numFeasibleNodesToFind', () => {
  it.each([
    [0, 50, 50],
    [0, 99, 99],
    [0, 100, 100],
    [0, 1000, 420],
    [0, 5000, 500],
    [0, 6000, 300],
    [0, 10_000, 500],
    [0, 200, 100],
    [30, 1000, 300],
    [10, 500, 100],
    [100, 5000, 5000],
  ])('percentage %i of %i nodes → %i', (pct, nodes, expected) => expect(numFeasibleNodesToFind(pct, nodes)).toBe(expected));
});

describe('Cache', () => {
  it('assumes a pod, confirms it from the informer, and forgets a failed binding', () => {
    const cache = new Cache({ clock: new FakeClock() });
    const snap = new Snapshot();
    cache.addNode(node('n1'));
    cache.assumePod(pod('a', 'n1'));
    cache.updateSnapshot(snap);
    expect(snap.get('n1')!.requested.milliCPU).toBe(1000);
    expect(cache.isAssumedPod(pod('a', 'n1'))).toBe(true);
    cache.addPod(pod('a', 'n1'));
    expect(cache.isAssumedPod(pod('a', 'n1'))).toBe(false);
    cache.assumePod(pod('b', 'n1'));
    cache.forgetPod(pod('b', 'n1'));
    cache.updateSnapshot(snap);
    expect(snap.get('n1')!.pods.map((p) => p.pod.metadata?.name)).toEqual(['a']);
    expect(snap.get('n1')!.requested.allowedPodNumber).toBe(1);
  });

  it('expires an assumed pod whose binding finished but was never confirmed', () => {
    const clock = new FakeClock();
    const cache = new Cache({ clock, assumedPodTtlMs: 30_000 });
    cache.addNode(node('n1'));
    cache.assumePod(pod('a', 'n1'));
    cache.cleanupAssumedPods();
    expect(cache.podCount()).toBe(1);
    cache.finishBinding(pod('a', 'n1'));
    clock.step(29_000);
    cache.cleanupAssumedPods();
    expect(cache.podCount()).toBe(1);
    clock.step(2000);
    cache.cleanupAssumedPods();
    expect(cache.podCount()).toBe(0);
  });

  it('re-clones only changed NodeInfos into the snapshot', () => {
    const cache = new Cache({ clock: new FakeClock() });
    const snap = new Snapshot();
    cache.addNode(node('n1'));
    cache.addNode(node('n2'));
    cache.updateSnapshot(snap);
    const n1 = snap.get('n1');
    const n2 = snap.get('n2');
    cache.addPod(pod('a', 'n2'));
    cache.updateSnapshot(snap);
    expect(snap.get('n1')).toBe(n1);
    expect(snap.get('n2')).not.toBe(n2);
    expect(snap.list().map((n) => n.nodeName())).toEqual(['n1', 'n2']);
    expect(snap.list()[1]).toBe(snap.get('n2'));
    expect(n2!.pods).toHaveLength(0); // the old clone is untouched
  });

  it('tracks nodes with required anti-affinity pods and removed nodes', () => {
    const cache = new Cache({ clock: new FakeClock() });
    const snap = new Snapshot();
    cache.addNode(node('n1'));
    cache.addNode(node('n2'));
    cache.addPod(pod('a', 'n2', '1', true));
    cache.updateSnapshot(snap);
    expect(snap.havePodsWithRequiredAntiAffinityList().map((n) => n.nodeName())).toEqual(['n2']);
    cache.removePod(pod('a', 'n2', '1', true));
    cache.removeNode(node('n1'));
    cache.updateSnapshot(snap);
    expect(snap.havePodsWithRequiredAntiAffinityList()).toHaveLength(0);
    expect(snap.list().map((n) => n.nodeName())).toEqual(['n2']);
    expect(cache.nodeCount()).toBe(1);
  });

  it('accounts pods that arrive before their node', () => {
    const cache = new Cache({ clock: new FakeClock() });
    const snap = new Snapshot();
    cache.addPod(pod('a', 'late'));
    cache.updateSnapshot(snap);
    expect(snap.list()).toHaveLength(0);
    cache.addNode(node('late'));
    cache.updateSnapshot(snap);
    expect(snap.get('late')!.pods).toHaveLength(1);
  });
});
