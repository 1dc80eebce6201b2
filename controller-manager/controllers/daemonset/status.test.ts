import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { isPodUpdated } from './daemon-pod.ts';
import { daemonPlacement } from './should-run.ts';
import { computeDaemonSetStatus, statusChanged } from './status.ts';
import { ds, node, pod, T0 } from './test-objects.ts';

function status(byNode: Record<string, Pod[]>, o: { minReadySeconds?: number; observed?: boolean; nodes?: ReturnType<typeof node>[] } = {}) {
  const d = ds({ minReadySeconds: o.minReadySeconds, podSpec: { nodeSelector: { role: 'worker' } } });
  d.metadata.generation = 3;
  d.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, observedGeneration: 2, collisionCount: 1 };
  const nodes = o.nodes ?? ['n1', 'n2', 'n3'].map((n) => node(n, { labels: { role: 'worker' } }));
  return computeDaemonSetStatus({ ds: d, nodes, podsByNode: new Map(Object.entries(byNode)), placement: daemonPlacement(d), isUpdated: (p) => isPodUpdated(p, 'new', undefined), nowMs: T0, observedGeneration: o.observed ?? true });
}

describe('DaemonSet status', () => {
  it('counts per node, with omitempty fields left out when zero', () => {
    expect(status({})).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 0, numberUnavailable: 3, observedGeneration: 3, collisionCount: 1 });
  });

  it.each([
    ['all up to date and ready', { n1: [pod('a', { node: 'n1', hash: 'new' })], n2: [pod('b', { node: 'n2', hash: 'new' })], n3: [pod('c', { node: 'n3', hash: 'new' })] }, {}, { current: 3, ready: 3, updated: 3, available: 3, unavailable: undefined }],
    ['one missing, one old, one not ready', { n1: [pod('a', { node: 'n1', hash: 'old' })], n2: [pod('b', { node: 'n2', hash: 'new', ready: false })] }, {}, { current: 2, ready: 1, updated: 1, available: 1, unavailable: 2 }],
    ['the oldest pod of a node counts', { n1: [pod('young', { node: 'n1', hash: 'new', age: 5 }), pod('old', { node: 'n1', hash: 'old', age: 50, ready: false })] }, {}, { current: 1, ready: 0, updated: 0, available: undefined, unavailable: 3 }],
    ['ready but not for minReadySeconds', { n1: [pod('a', { node: 'n1', hash: 'new', readySince: 5 })] }, { minReadySeconds: 10 }, { current: 1, ready: 1, updated: 1, available: undefined, unavailable: 3 }],
  ])('%s', (_name, byNode, o, e) => {
    const s = status(byNode, o);
    expect([s.currentNumberScheduled, s.numberReady, s.updatedNumberScheduled, s.numberAvailable, s.numberUnavailable]).toEqual([e.current, e.ready, e.updated || undefined, e.available, e.unavailable]);
  });

  it('a pod on a node that should not run one is misscheduled', () => {
    const nodes = [node('n1', { labels: { role: 'worker' } }), node('db')];
    const s = status({ db: [pod('x', { node: 'db' })] }, { nodes });
    expect([s.desiredNumberScheduled, s.currentNumberScheduled, s.numberMisscheduled]).toEqual([1, 0, 1]);
  });

  it('keeps the observed generation while expectations are pending, and writes only on change', () => {
    const s = status({}, { observed: false });
    expect(s.observedGeneration).toBe(2);
    const d = ds();
    d.metadata.generation = 3;
    d.status = { ...s };
    expect(statusChanged(d, s)).toBe(false);
    expect(statusChanged(d, { ...s, numberReady: 1 })).toBe(true);
    expect(statusChanged(d, { ...s, observedGeneration: 3 })).toBe(true);
  });
});
