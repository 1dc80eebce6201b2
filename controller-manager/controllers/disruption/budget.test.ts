/** The disruption controller's pure decisions: expected and desired counts, disrupted pods, healthy pods, the status. */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PodDisruptionBudget } from '../../../pkg/api/policy/v1/poddisruptionbudget.ts';
import { staleDisruption } from './stale-disruption.ts';
import { budgetStatus, countHealthy, DELETION_TIMEOUT_MS, disruptedPodMap, expectedCounts, failSafeStatus, scaledValue, type ScaleFinder } from './budget.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const ref = (kind: string, name: string, uid: string) => ({ apiVersion: 'apps/v1', kind, name, uid, controller: true });
function pod(name: string, opts: { ready?: boolean; owner?: ReturnType<typeof ref>; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name, namespace: 'ns', ...(opts.owner ? { ownerReferences: [opts.owner] } : {}), ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  } as Pod;
}
const pdb = (spec: PodDisruptionBudget['spec'], status?: Partial<NonNullable<PodDisruptionBudget['status']>>): PodDisruptionBudget =>
  ({ metadata: { name: 'b', namespace: 'ns', generation: 1 }, spec, status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, ...status } }) as PodDisruptionBudget;
const rs = ref('ReplicaSet', 'web-abc', 'rs-uid');
const finder: ScaleFinder = (r) => (r.uid === 'rs-uid' ? { uid: 'd-uid', scale: 4 } : undefined);
const three = [pod('a', { owner: rs }), pod('b', { owner: rs }), pod('c', { owner: rs, ready: false })];

describe('expectedCounts', () => {
  it.each<[string, PodDisruptionBudget['spec'], { expectedCount: number; desiredHealthy: number }]>([
    ['minAvailable int: the pods found', { minAvailable: 2 }, { expectedCount: 3, desiredHealthy: 2 }],
    ['minAvailable percent: the controllers\' scale, rounded up', { minAvailable: '50%' }, { expectedCount: 4, desiredHealthy: 2 }],
    ['maxUnavailable int', { maxUnavailable: 1 }, { expectedCount: 4, desiredHealthy: 3 }],
    ['maxUnavailable percent rounds up (more may be unavailable)', { maxUnavailable: '30%' }, { expectedCount: 4, desiredHealthy: 2 }],
    ['maxUnavailable above the scale never goes below 0', { maxUnavailable: 10 }, { expectedCount: 4, desiredHealthy: 0 }],
    ['neither', {}, { expectedCount: 0, desiredHealthy: 0 }],
  ])('%s', (_name, spec, expected) => {
    expect(expectedCounts(pdb(spec), three, finder)).toMatchObject(expected);
  });

  it('a pod whose controller is unknown fails the sync with upstream\'s message; unmanaged pods are listed', () => {
    expect(() => expectedCounts(pdb({ maxUnavailable: 1 }), [pod('x', { owner: ref('ReplicaSet', 'gone', 'other') })], finder)).toThrow('found no controllers for pod "x"');
    expect(expectedCounts(pdb({ maxUnavailable: 1 }), [pod('bare')], finder)).toEqual({ expectedCount: 0, desiredHealthy: 0, unmanagedPods: ['bare'] });
  });

  it('scaledValue rounds percentages up', () => {
    expect([scaledValue('34%', 3), scaledValue('33%', 3), scaledValue(5, 3)]).toEqual([2, 1, 5]);
  });
});

describe('disrupted and healthy pods', () => {
  const evicted = (ago: number) => new Date(T0 - ago).toISOString().replace('.000Z', 'Z');
  it('keeps recently evicted pods (not deleting) and rechecks when the first expires; overdue ones are reported', () => {
    const budget = pdb({ minAvailable: 1 }, { disruptedPods: { a: evicted(60_000), b: evicted(DELETION_TIMEOUT_MS + 1000), gone: evicted(0) } });
    const out = disruptedPodMap(budget, three, T0);
    expect(out.disrupted).toEqual({ a: evicted(60_000) });
    expect(out.recheckAtMs).toBe(T0 + 60_000);
    expect(out.overdue.map((p) => p.metadata.name)).toEqual(['b']);
    expect(countHealthy(three, out.disrupted, T0)).toBe(1);
  });

  it('deleting and unready pods are not healthy', () => {
    expect(countHealthy([pod('a', { deleting: true }), pod('b', { ready: false }), pod('c')], {}, T0)).toBe(1);
  });
});

describe('budgetStatus', () => {
  it('allows current - desired disruptions with the DisruptionAllowed condition, then is up to date', () => {
    const status = budgetStatus(pdb({ minAvailable: 2 }), { currentHealthy: 3, desiredHealthy: 2, expectedCount: 3, disrupted: {} }, '2026-01-01T00:00:00Z');
    expect(status).toEqual({
      observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z' }],
    });
    expect(budgetStatus(pdb({ minAvailable: 2 }, status), { currentHealthy: 3, desiredHealthy: 2, expectedCount: 3, disrupted: {} }, '2026-01-01T00:01:00Z')).toBeUndefined();
  });

  it.each([
    ['too few healthy', { currentHealthy: 2, desiredHealthy: 2, expectedCount: 3 }],
    ['no pods expected yet', { currentHealthy: 3, desiredHealthy: 0, expectedCount: 0 }],
  ])('%s: none allowed, InsufficientPods', (_name, counts) => {
    const status = budgetStatus(pdb({ minAvailable: 2 }), { ...counts, disrupted: {} }, '2026-01-01T00:00:00Z');
    expect(status).toMatchObject({ disruptionsAllowed: 0, conditions: [{ status: 'False', reason: 'InsufficientPods' }] });
  });

  it('the fail-safe status allows nothing and says why', () => {
    expect(failSafeStatus(pdb({ maxUnavailable: 1 }, { disruptionsAllowed: 2 }), 'found no controllers for pod "x"', '2026-01-01T00:00:00Z')).toMatchObject({
      disruptionsAllowed: 0,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "x"' }],
    });
  });
});

describe('staleDisruption', () => {
  const marked = (ago: number, extra: Record<string, unknown> = {}) => ({ metadata: { name: 'p', ...extra }, status: { conditions: [{ type: 'DisruptionTarget', status: 'True', lastTransitionTime: new Date(T0 - ago).toISOString() }] } }) as Pod;
  it.each<[string, Pod, unknown]>([
    ['no condition', pod('a'), { action: 'none' }],
    ['fresh', marked(30_000), { action: 'wait', ms: 90_000 }],
    ['stale', marked(121_000), { action: 'clean' }],
    ['stale but deleting', marked(121_000, { deletionTimestamp: '2026-01-01T00:00:00Z' }), { action: 'none' }],
  ])('%s', (_name, p, expected) => {
    expect(staleDisruption(p, T0)).toEqual(expected);
  });
});
